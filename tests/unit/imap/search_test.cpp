// Unit tests of SEARCH parsing (proto/imap/parser.hpp): every RFC 3501 key,
// sequence sets, nesting with NOT/OR/parentheses, CHARSET, MODSEQ, and
// malformed input (missing arguments, bad dates, unbalanced parentheses).
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using namespace pillarbox::imap;
using imap_test::parse_error;
using imap_test::parse_ok;
using K = SearchKey::Kind;

namespace {

// An S-expression of the tree: (AND (FROM "x") (NOT (SEEN))).
std::string show(const SearchKey& k) {
  static const char* const kNames[] = {
      "AND", "ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "DELETED", "DRAFT", "FLAGGED", "FROM", "HEADER",
      "KEYWORD", "LARGER", "NEW", "NOT", "OLD", "ON", "OR", "RECENT", "SEEN", "SENTBEFORE", "SENTON",
      "SENTSINCE", "SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID", "UNANSWERED", "UNDELETED", "UNDRAFT",
      "UNFLAGGED", "UNKEYWORD", "UNSEEN", "SET", "MODSEQ"};
  std::string out = "(";
  out += kNames[static_cast<int>(k.kind)];
  switch (k.kind) {
    case K::Bcc: case K::Body: case K::Cc: case K::From: case K::Subject: case K::Text: case K::To:
    case K::Keyword: case K::Unkeyword:
      out += " \"" + k.text + "\"";
      break;
    case K::Header: out += " " + k.field + " \"" + k.text + "\""; break;
    case K::Before: case K::On: case K::SentBefore: case K::SentOn: case K::SentSince: case K::Since:
      out += " " + format_date(k.date);
      break;
    case K::Larger: case K::Smaller: out += " " + std::to_string(k.number); break;
    case K::ModSeq:
      if (!k.text.empty()) out += " \"" + k.text + "\" " + k.field;
      out += " " + std::to_string(k.number);
      break;
    case K::Uid: case K::SequenceSet: out += " " + format_sequence_set(k.set); break;
    default: break;
  }
  for (const auto& c : k.children) out += " " + show(c);
  return out + ")";
}

std::string search(std::string_view text) {
  auto args = parse_ok(text).as<SearchArgs>();
  return show(args.key);
}

}  // namespace

TEST_CASE("imap SEARCH keys without arguments", "[imap][search]") {
  for (const char* key : {"ALL", "ANSWERED", "DELETED", "DRAFT", "FLAGGED", "NEW", "OLD", "RECENT", "SEEN",
                          "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNSEEN"}) {
    INFO(key);
    CHECK(search(std::string("a SEARCH ") + key) == std::string("(AND (") + key + "))");
    std::string lower = key;
    for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
    CHECK(search("a SEARCH " + lower) == std::string("(AND (") + key + "))");
  }
}

TEST_CASE("imap SEARCH keys with arguments", "[imap][search]") {
  struct Case {
    const char* text;
    const char* tree;
  };
  const Case cases[] = {
      {"a SEARCH BCC bob", "(AND (BCC \"bob\"))"},
      {"a SEARCH BODY \"hello world\"", "(AND (BODY \"hello world\"))"},
      {"a SEARCH CC {3}\r\nx y", "(AND (CC \"x y\"))"},
      {"a SEARCH FROM alice@example.org", "(AND (FROM \"alice@example.org\"))"},
      {"a SEARCH SUBJECT \"\"", "(AND (SUBJECT \"\"))"},
      {"a SEARCH TEXT t", "(AND (TEXT \"t\"))"},
      {"a SEARCH TO t", "(AND (TO \"t\"))"},
      {"a SEARCH HEADER Message-ID \"<x@y>\"", "(AND (HEADER Message-ID \"<x@y>\"))"},
      {"a SEARCH HEADER X-Empty \"\"", "(AND (HEADER X-Empty \"\"))"},
      {"a SEARCH KEYWORD $Forwarded", "(AND (KEYWORD \"$Forwarded\"))"},
      {"a SEARCH UNKEYWORD work", "(AND (UNKEYWORD \"work\"))"},
      {"a SEARCH BEFORE 1-Feb-2026", "(AND (BEFORE 1-Feb-2026))"},
      {"a SEARCH ON \"01-Feb-2026\"", "(AND (ON 1-Feb-2026))"},
      {"a SEARCH SINCE 28-feb-2025", "(AND (SINCE 28-Feb-2025))"},
      {"a SEARCH SENTBEFORE 1-Jan-2000", "(AND (SENTBEFORE 1-Jan-2000))"},
      {"a SEARCH SENTON 1-Jan-2000", "(AND (SENTON 1-Jan-2000))"},
      {"a SEARCH SENTSINCE 1-Jan-2000", "(AND (SENTSINCE 1-Jan-2000))"},
      {"a SEARCH LARGER 1024", "(AND (LARGER 1024))"},
      {"a SEARCH SMALLER 0", "(AND (SMALLER 0))"},
      {"a SEARCH UID 1:*", "(AND (UID 1:*))"},
      {"a SEARCH 2,4:*", "(AND (SET 2,4:*))"},
      {"a SEARCH *", "(AND (SET *))"},
      {"a SEARCH MODSEQ 620162338", "(AND (MODSEQ 620162338))"},
      {"a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", "(AND (MODSEQ \"/flags/\\draft\" all 620162338))"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(search(c.text) == c.tree);
  }
}

TEST_CASE("imap SEARCH nesting, OR, NOT and implicit AND", "[imap][search]") {
  CHECK(search("a SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"") ==
        "(AND (FLAGGED) (SINCE 1-Feb-1994) (NOT (FROM \"Smith\")))");
  CHECK(search("a SEARCH OR (SEEN FLAGGED) NOT OR DELETED 1:5") ==
        "(AND (OR (AND (SEEN) (FLAGGED)) (NOT (OR (DELETED) (SET 1:5)))))");
  CHECK(search("a UID SEARCH (OR TO a CC a) ((UNSEEN))") ==
        "(AND (AND (OR (TO \"a\") (CC \"a\"))) (AND (AND (UNSEEN))))");
  auto args = parse_ok("a SEARCH CHARSET utf-8 SUBJECT {4}\r\n\xc3\xa4\xc3\xb6").as<SearchArgs>();
  CHECK(args.charset == "UTF-8");
  CHECK(show(args.key) == "(AND (SUBJECT \"\xc3\xa4\xc3\xb6\"))");
  CHECK_FALSE(parse_ok("a SEARCH ALL").as<SearchArgs>().charset);
}

TEST_CASE("imap malformed SEARCH", "[imap][search]") {
  CHECK(parse_error("a SEARCH") == "Missing argument");
  CHECK(parse_error("a SEARCH ") == "Missing argument");
  CHECK(parse_error("a SEARCH FROB") == "Unknown SEARCH key");
  CHECK(parse_error("a SEARCH FROM") == "Missing argument");
  CHECK(parse_error("a SEARCH HEADER Subject") == "Missing argument");
  CHECK(parse_error("a SEARCH OR SEEN") == "Missing argument");
  CHECK(parse_error("a SEARCH NOT") == "Missing argument");
  CHECK(parse_error("a SEARCH (SEEN") == "Unbalanced parentheses");
  CHECK(parse_error("a SEARCH SEEN)") == "Unbalanced parentheses");
  CHECK(parse_error("a SEARCH ()") == "Unknown SEARCH key");
  CHECK(parse_error("a SEARCH BEFORE 31-Feb-2026") == "Invalid date");
  CHECK(parse_error("a SEARCH SINCE yesterday") == "Invalid date");
  CHECK(parse_error("a SEARCH ON \"1-Feb-2026 10:00\"") == "Invalid date");
  CHECK(parse_error("a SEARCH LARGER big") == "Invalid number");
  CHECK(parse_error("a SEARCH UID x") == "Invalid sequence set");
  CHECK(parse_error("a SEARCH 1:0") == "Invalid sequence set");
  CHECK(parse_error("a SEARCH MODSEQ \"/flags/x\" bogus 5") == "Invalid MODSEQ entry");
  CHECK(parse_error("a SEARCH CHARSET") == "Missing argument");
  CHECK(parse_error("a SEARCH CHARSET UTF-8") == "Missing argument");
  CHECK(parse_error("a SEARCH SEEN  UNSEEN") == "Unknown SEARCH key");
  std::string deep = "a SEARCH ";
  for (int i = 0; i < 200; ++i) deep += "NOT ";
  deep += "SEEN";
  CHECK(parse_error(deep) == "Search too complex");
  std::string parens = "a SEARCH " + std::string(200, '(') + "SEEN" + std::string(200, ')');
  CHECK(parse_error(parens) == "Search too complex");
}
