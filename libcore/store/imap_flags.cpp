// STORE. The flag arithmetic is the SQL function imap_apply_flags (0006), used
// both by the SELECT that sorts the targets into changed/unchanged/modified
// and by the UPDATE; the mailbox row lock held in between makes them agree.
#include "libcore/store/imap_flags.hpp"

#include <algorithm>
#include <array>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {
namespace {

constexpr std::array<const char*, 5> kSystemFlags = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"};

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// RFC 3501 atom characters minus the flag-specials: what a keyword may hold.
bool valid_keyword(std::string_view k) {
  if (k.empty() || k.size() > 200) return false;
  for (unsigned char c : k) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"' || c == '\\' || c == ']')
      return false;
  }
  return true;
}

const char* op_name(FlagOp op) {
  switch (op) {
    case FlagOp::Replace: return "replace";
    case FlagOp::Add: return "add";
    case FlagOp::Remove: return "remove";
  }
  return "add";
}

}  // namespace

Expected<FlagLists> split_flags(const std::vector<std::string>& given) {
  FlagLists out;
  std::vector<std::string> seen_keywords;
  for (const auto& f : given) {
    if (!f.empty() && f[0] == '\\') {
      const std::string low = lowered(f);
      if (low == "\\recent") return fail(ErrorCode::InvalidInput, "\\Recent cannot be stored");
      const char* canonical = nullptr;
      for (const char* s : kSystemFlags)
        if (lowered(s) == low) canonical = s;
      if (!canonical) return fail(ErrorCode::InvalidInput, "unknown system flag " + f);
      bool dup = false;
      for (const auto& have : out.flags) dup = dup || have == canonical;
      if (!dup) out.flags.emplace_back(canonical);
      continue;
    }
    if (!valid_keyword(f)) return fail(ErrorCode::InvalidInput, "invalid keyword '" + f + "'");
    const std::string low = lowered(f);
    bool dup = false;
    for (const auto& have : seen_keywords) dup = dup || have == low;
    if (dup) continue;
    seen_keywords.push_back(low);
    out.keywords.push_back(f);
  }
  return out;
}

Expected<StoreResult> store_flags(pqxx::connection& conn, int64_t mailbox_id, const std::vector<int64_t>& uids,
                                  const FlagChange& change) {
  auto split = split_flags(change.flags);
  if (!split) return Unexpected{split.error()};
  return guarded("storing flags", [&]() -> Expected<StoreResult> {
    pqxx::work tx{conn};
    auto box = lock_mailbox(tx, mailbox_id);
    if (!box) return fail(ErrorCode::NotFound, "no such mailbox");
    StoreResult out;
    out.highest_modseq = box->highest_modseq;
    const std::string op = op_name(change.op), flags = to_pg_array(split->flags),
                      keywords = to_pg_array(split->keywords);
    // Set equality, not array equality: stored lists need not be sorted.
    auto rows = tx.exec_params(
        "SELECT uid, modseq, flags, keywords, "
        "       NOT (f @> flags AND flags @> f AND k @> keywords AND keywords @> k) "
        "  FROM (SELECT uid, modseq, flags, keywords, imap_apply_flags(flags, $3, $4::text[]) AS f, "
        "               imap_apply_flags(keywords, $3, $5::text[]) AS k "
        "          FROM mailbox_messages WHERE mailbox_id = $1 AND uid = ANY($2::bigint[])) AS t "
        " ORDER BY uid",
        mailbox_id, to_pg_bigint_array(uids), op, flags, keywords);
    std::vector<int64_t> to_change;
    for (const auto& r : rows) {
      MessageState m = message_state(r);
      if (change.unchanged_since && m.modseq > *change.unchanged_since)
        out.modified.push_back(m.uid);
      else if (r[4].as<bool>())
        to_change.push_back(m.uid);
      else
        out.unchanged.push_back(std::move(m));
    }
    if (!to_change.empty()) {
      out.highest_modseq = tx.exec_params1(
          "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq",
          mailbox_id)[0].as<int64_t>();
      auto changed = tx.exec_params(
          "UPDATE mailbox_messages SET flags = imap_apply_flags(flags, $3, $4::text[]), "
          "       keywords = imap_apply_flags(keywords, $3, $5::text[]), modseq = $6 "
          " WHERE mailbox_id = $1 AND uid = ANY($2::bigint[]) RETURNING uid, modseq, flags, keywords",
          mailbox_id, to_pg_bigint_array(to_change), op, flags, keywords, out.highest_modseq);
      for (const auto& r : changed) out.changed.push_back(message_state(r));
      std::sort(out.changed.begin(), out.changed.end(),
                [](const MessageState& a, const MessageState& b) { return a.uid < b.uid; });
    }
    tx.commit();
    return out;
  });
}

Expected<std::vector<MessageState>> mark_seen(pqxx::connection& conn, int64_t mailbox_id,
                                              const std::vector<int64_t>& uids) {
  auto stored = store_flags(conn, mailbox_id, uids, FlagChange{FlagOp::Add, {"\\Seen"}, std::nullopt});
  if (!stored) return Unexpected{stored.error()};
  return std::move(stored->changed);
}

}  // namespace pillarbox::store
