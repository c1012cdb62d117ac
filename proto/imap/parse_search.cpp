// SEARCH arguments (RFC 3501 §6.4.4 and §9 search-key; RFC 7162 §3.1.5
// MODSEQ) as a tree. Nesting is bounded so hostile input cannot exhaust
// the stack. The CHARSET is returned, not checked: BADCHARSET is the
// engine's reply.
#include "proto/imap/parse_parts.hpp"

namespace pillarbox::imap::detail {

namespace {

using K = SearchKey::Kind;

constexpr int kMaxDepth = 64;

struct KeyName {
  std::string_view name;
  K kind;
  enum Arg { None, Text, Date, Number } arg;
};

constexpr KeyName kKeys[] = {
    {"ALL", K::All, KeyName::None},           {"ANSWERED", K::Answered, KeyName::None},
    {"BCC", K::Bcc, KeyName::Text},           {"BEFORE", K::Before, KeyName::Date},
    {"BODY", K::Body, KeyName::Text},         {"CC", K::Cc, KeyName::Text},
    {"DELETED", K::Deleted, KeyName::None},   {"DRAFT", K::Draft, KeyName::None},
    {"FLAGGED", K::Flagged, KeyName::None},   {"FROM", K::From, KeyName::Text},
    {"LARGER", K::Larger, KeyName::Number},   {"NEW", K::New, KeyName::None},
    {"OLD", K::Old, KeyName::None},           {"ON", K::On, KeyName::Date},
    {"RECENT", K::Recent, KeyName::None},     {"SEEN", K::Seen, KeyName::None},
    {"SENTBEFORE", K::SentBefore, KeyName::Date}, {"SENTON", K::SentOn, KeyName::Date},
    {"SENTSINCE", K::SentSince, KeyName::Date},   {"SINCE", K::Since, KeyName::Date},
    {"SMALLER", K::Smaller, KeyName::Number}, {"SUBJECT", K::Subject, KeyName::Text},
    {"TEXT", K::Text, KeyName::Text},         {"TO", K::To, KeyName::Text},
    {"UNANSWERED", K::Unanswered, KeyName::None}, {"UNDELETED", K::Undeleted, KeyName::None},
    {"UNDRAFT", K::Undraft, KeyName::None},   {"UNFLAGGED", K::Unflagged, KeyName::None},
    {"UNSEEN", K::Unseen, KeyName::None},
};

Expected<SearchKey> search_key(Reader& r, int depth);

// search-key *(SP search-key), up to ")" or the end.
Expected<std::vector<SearchKey>> key_list(Reader& r, int depth, bool parenthesised) {
  std::vector<SearchKey> keys;
  while (true) {
    IMAP_TRY(key, search_key(r, depth));
    keys.push_back(std::move(key));
    if (parenthesised && r.accept(')')) return keys;
    if (r.at_end()) {
      if (parenthesised) return bad("Unbalanced parentheses");
      return keys;
    }
    if (!parenthesised && r.peek() == ')') return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

Expected<void> modseq_key(Reader& r, SearchKey& key) {
  IMAP_CHECK(r.space());
  if (r.peek() == '"') {
    // entry-name SP entry-type-req (RFC 7162 §3.1.5): "/flags/\Seen" priv
    IMAP_TRY(name, r.quoted());
    IMAP_CHECK(r.space());
    IMAP_TRY(type, r.atom());
    std::string lower = type;
    for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (name.rfind("/flags/", 0) != 0 || (lower != "priv" && lower != "shared" && lower != "all")) {
      return bad("Invalid MODSEQ entry");
    }
    key.text = std::move(name);
    key.field = std::move(lower);
    IMAP_CHECK(r.space());
  }
  IMAP_TRY(modseq, r.number64());
  key.number = modseq;
  return {};
}

Expected<SearchKey> search_key(Reader& r, int depth) {
  if (depth > kMaxDepth) return bad("Search too complex");
  SearchKey key;
  if (r.accept('(')) {
    key.kind = K::And;
    IMAP_TRY(children, key_list(r, depth + 1, true));
    key.children = std::move(children);
    return key;
  }
  if ((r.peek() >= '0' && r.peek() <= '9') || r.peek() == '*') {
    key.kind = K::SequenceSet;
    IMAP_TRY(set, r.sequence_set());
    key.set = std::move(set);
    return key;
  }
  auto word = r.atom();
  if (!word) return bad(r.at_end() ? "Missing argument" : "Unknown SEARCH key");
  std::string name = ascii_upper(*word);
  for (const KeyName& k : kKeys) {
    if (k.name != name) continue;
    key.kind = k.kind;
    if (k.arg == KeyName::None) return key;
    IMAP_CHECK(r.space());
    if (k.arg == KeyName::Text) {
      IMAP_TRY(text, r.astring());
      key.text = std::move(text);
    } else if (k.arg == KeyName::Date) {
      IMAP_TRY(text, r.astring());
      IMAP_TRY(date, parse_date(text));
      key.date = date;
    } else {
      IMAP_TRY(n, r.number64());
      key.number = n;
    }
    return key;
  }
  if (name == "HEADER") {
    key.kind = K::Header;
    IMAP_CHECK(r.space());
    IMAP_TRY(field, r.astring());
    IMAP_CHECK(r.space());
    IMAP_TRY(value, r.astring());
    key.field = std::move(field);
    key.text = std::move(value);
  } else if (name == "KEYWORD" || name == "UNKEYWORD") {
    key.kind = name == "KEYWORD" ? K::Keyword : K::Unkeyword;
    IMAP_CHECK(r.space());
    IMAP_TRY(flag, r.atom());
    key.text = std::move(flag);
  } else if (name == "NOT") {
    key.kind = K::Not;
    IMAP_CHECK(r.space());
    IMAP_TRY(child, search_key(r, depth + 1));
    key.children.push_back(std::move(child));
  } else if (name == "OR") {
    key.kind = K::Or;
    IMAP_CHECK(r.space());
    IMAP_TRY(left, search_key(r, depth + 1));
    IMAP_CHECK(r.space());
    IMAP_TRY(right, search_key(r, depth + 1));
    key.children.push_back(std::move(left));
    key.children.push_back(std::move(right));
  } else if (name == "UID") {
    key.kind = K::Uid;
    IMAP_CHECK(r.space());
    IMAP_TRY(set, r.sequence_set());
    key.set = std::move(set);
  } else if (name == "MODSEQ") {
    key.kind = K::ModSeq;
    IMAP_CHECK(modseq_key(r, key));
  } else {
    return bad("Unknown SEARCH key");
  }
  return key;
}

}  // namespace

Expected<SearchArgs> parse_search_args(Reader& r) {
  SearchArgs a;
  if (r.accept_word("CHARSET")) {
    IMAP_CHECK(r.space());
    IMAP_TRY(charset, r.astring());
    a.charset = ascii_upper(charset);
    IMAP_CHECK(r.space());
  }
  a.key.kind = K::And;
  IMAP_TRY(keys, key_list(r, 1, false));
  a.key.children = std::move(keys);
  return a;
}

}  // namespace pillarbox::imap::detail
