// SEARCH as SQL. Every value goes through a numbered parameter ($n, typed by
// a cast); only fixed fragments are concatenated. Substring keys compare
// lower() of both sides with strpos() (LIKE would need its wildcards
// escaped). bodies is joined only when a key reads it. Conditions on
// nullable columns are coalesce()d so NOT stays two-valued.
#include "libcore/store/imap_search.hpp"

#include <algorithm>
#include <cctype>

#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/imap_common.hpp"

namespace pillarbox::store {
namespace {

constexpr int kMaxDepth = 100;
constexpr int64_t kDay = 86400;

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class WhereBuilder {
 public:
  explicit WhereBuilder(int64_t mailbox_id) { params_.push_back(std::to_string(mailbox_id)); }

  // "$n::type" for a new parameter holding `value`.
  std::string param(std::string value, const char* type) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size()) + "::" + type;
  }
  std::string param(int64_t value) { return param(std::to_string(value), "bigint"); }

  Expected<std::string> condition(const SearchKey& key, int depth);

  bool joins_bodies = false;
  const std::vector<std::string>& params() const { return params_; }

 private:
  Expected<std::string> combine(const SearchKey& key, int depth);
  std::string uid_set(const std::vector<UidRange>& ranges);
  Expected<std::string> flag(const std::string& name);
  std::string contains(const char* column, const std::string& text);
  Expected<std::string> header(const std::string& name, const std::string& text);
  std::string full_text(const std::string& text);
  std::string date(const char* column, SearchKey::Kind kind, int64_t when);

  std::vector<std::string> params_;
};

Expected<std::string> WhereBuilder::combine(const SearchKey& key, int depth) {
  using K = SearchKey::Kind;
  if (key.kind == K::Or && key.children.size() != 2) return fail(ErrorCode::InvalidInput, "OR needs two keys");
  if (key.kind == K::Not && key.children.size() != 1) return fail(ErrorCode::InvalidInput, "NOT needs one key");
  if (key.children.empty()) return std::string("true");
  std::string out = key.kind == K::Not ? "NOT (" : "(";
  for (std::size_t i = 0; i < key.children.size(); ++i) {
    auto c = condition(key.children[i], depth + 1);
    if (!c) return c;
    if (i) out += key.kind == K::Or ? " OR " : " AND ";
    out += *c;
  }
  return out + ")";
}

std::string WhereBuilder::uid_set(const std::vector<UidRange>& ranges) {
  if (ranges.empty()) return "false";
  std::vector<int64_t> lo, hi;
  bool star = false;
  for (const auto& r : ranges) {
    lo.push_back(r.first);
    hi.push_back(r.last);
    star = star || r.first == kUidStar || r.last == kUidStar;
  }
  const std::string lo_p = param(to_pg_bigint_array(lo), "bigint[]"), hi_p = param(to_pg_bigint_array(hi), "bigint[]");
  std::string a = "r.lo", b = "r.hi";
  if (star) {
    // An uncorrelated subquery: evaluated once per statement.
    const std::string max = "(SELECT coalesce(max(uid), 0) FROM mailbox_messages WHERE mailbox_id = $1::bigint)";
    a = "CASE WHEN r.lo = -1 THEN " + max + " ELSE r.lo END";
    b = "CASE WHEN r.hi = -1 THEN " + max + " ELSE r.hi END";
  }
  return "EXISTS (SELECT 1 FROM unnest(" + lo_p + ", " + hi_p + ") AS r(lo, hi) WHERE mm.uid BETWEEN least(" + a +
         ", " + b + ") AND greatest(" + a + ", " + b + "))";
}

Expected<std::string> WhereBuilder::flag(const std::string& name) {
  if (!name.empty() && name[0] == '\\') {
    const std::string low = lowered(name);
    if (low == "\\recent") return fail(ErrorCode::InvalidInput, "\\Recent is searched with RECENT, not as a flag");
    for (const char* f : {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"})
      if (lowered(f) == low) return "mm.flags @> ARRAY[" + param(f, "text") + "]";
    return std::string("false");  // a system flag we never store
  }
  return "EXISTS (SELECT 1 FROM unnest(mm.keywords) AS kw WHERE lower(kw) = lower(" + param(name, "text") + "))";
}

std::string WhereBuilder::contains(const char* column, const std::string& text) {
  joins_bodies = true;
  return std::string("strpos(lower(") + column + "), lower(" + param(text, "text") + ")) > 0";
}

Expected<std::string> WhereBuilder::header(const std::string& name, const std::string& text) {
  if (name.empty() || name.size() > 100) return fail(ErrorCode::InvalidInput, "invalid header name");
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '-' && c != '_') return fail(ErrorCode::InvalidInput, "invalid header name");
  const std::string low = lowered(name);
  if (low == "subject") return contains("b.subject", text);
  if (low == "from") return contains("b.from_text", text);
  if (low == "to") return contains("b.to_text", text);
  if (low == "cc") return contains("b.cc_text", text);
  // Other fields are not stored apart: match the (unfolded) field values in
  // the header block. The name is safe inside the regex: letters, digits, '-', '_'.
  joins_bodies = true;
  return "EXISTS (SELECT 1 FROM regexp_matches(imap_header_block(b.raw), '(?:^|\\n)' || " + param(name, "text") +
         " || ':([^\\n]*(?:\\n[ \\t][^\\n]*)*)', 'gi') AS v(m) "
         "WHERE strpos(lower(v.m[1]), lower(encode(convert_to(" + param(text, "text") + ", 'UTF8'), 'escape'))) > 0)";
}

std::string WhereBuilder::full_text(const std::string& text) {
  joins_bodies = true;
  // The index narrows by words; strpos keeps IMAP's substring meaning. A
  // needle without words (punctuation only) leaves strpos alone.
  const std::string q = "plainto_tsquery('simple', " + param(text, "text") + ")";
  return "((numnode(" + q + ") = 0 OR b.search @@ " + q + ") AND strpos(lower(b.search_text), lower(" +
         param(text, "text") + ")) > 0)";
}

std::string WhereBuilder::date(const char* column, SearchKey::Kind kind, int64_t when) {
  using K = SearchKey::Kind;
  const int64_t day = (when >= 0 ? when / kDay : (when - kDay + 1) / kDay) * kDay;
  const std::string col = column, start = "to_timestamp(" + param(day) + ")";
  std::string c;
  if (kind == K::Before || kind == K::SentBefore) c = col + " < " + start;
  if (kind == K::Since || kind == K::SentSince) c = col + " >= " + start;
  if (kind == K::On || kind == K::SentOn)
    c = col + " >= " + start + " AND " + col + " < to_timestamp(" + param(day + kDay) + ")";
  return "coalesce(" + c + ", false)";
}

Expected<std::string> WhereBuilder::condition(const SearchKey& key, int depth) {
  using K = SearchKey::Kind;
  if (depth > kMaxDepth) return fail(ErrorCode::InvalidInput, "search keys nested too deeply");
  switch (key.kind) {
    case K::All: return std::string("true");
    case K::And: case K::Or: case K::Not: return combine(key, depth);
    case K::UidSet: case K::Recent: return uid_set(key.uids);
    case K::New: return "(" + uid_set(key.uids) + " AND NOT mm.flags @> ARRAY['\\Seen'])";
    case K::Old: return "NOT " + uid_set(key.uids);
    case K::Flag: return flag(key.name);
    case K::NoFlag: {
      auto f = flag(key.name);
      if (!f) return f;
      return "NOT " + *f;
    }
    case K::Larger: return "mm.size > " + param(key.number);
    case K::Smaller: return "mm.size < " + param(key.number);
    case K::Before: case K::On: case K::Since: return date("mm.internal_date", key.kind, key.number);
    case K::SentBefore: case K::SentOn: case K::SentSince:
      joins_bodies = true;
      return date("b.header_date", key.kind, key.number);
    case K::Header: return header(key.name, key.text);
    case K::From: return contains("b.from_text", key.text);
    case K::To: return contains("b.to_text", key.text);
    case K::Cc: return contains("b.cc_text", key.text);
    case K::Bcc: return header("Bcc", key.text);
    case K::Subject: return contains("b.subject", key.text);
    case K::Body: case K::Text: return full_text(key.text);
    case K::ModSeq: return "mm.modseq >= " + param(key.number);
  }
  return fail(ErrorCode::InvalidInput, "unknown search key");
}

}  // namespace

Expected<SearchResult> search_messages(pqxx::connection& conn, int64_t mailbox_id, const SearchKey& key) {
  WhereBuilder where(mailbox_id);
  auto cond = where.condition(key, 0);
  if (!cond) return Unexpected{cond.error()};
  std::string sql = "SELECT mm.uid, mm.modseq FROM mailbox_messages mm";
  if (where.joins_bodies) sql += " JOIN bodies b ON b.id = mm.body_id";
  sql += " WHERE mm.mailbox_id = $1::bigint AND " + *cond + " ORDER BY mm.uid";
  return guarded("searching", [&]() -> Expected<SearchResult> {
    pqxx::read_transaction tx{conn};
    auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(where.params()));
    tx.commit();
    SearchResult out;
    out.uids.reserve(rows.size());
    for (const auto& r : rows) {
      out.uids.push_back(r[0].as<int64_t>());
      out.highest_modseq = std::max(out.highest_modseq, r[1].as<int64_t>());
    }
    return out;
  });
}

}  // namespace pillarbox::store
