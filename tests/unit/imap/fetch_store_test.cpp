// Unit tests of FETCH and STORE argument parsing (proto/imap/parser.hpp):
// macros, every attribute, BODY[section]<partial> forms, CONDSTORE/QRESYNC
// modifiers, STORE modes and flag forms, and malformed input for each.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using namespace pillarbox::imap;
using imap_test::parse_error;
using imap_test::parse_ok;
using K = FetchItem::Kind;

namespace {

// A compact text form of the items, to compare whole lists at once.
std::string describe(const FetchItem& item) {
  static const char* const kNames[] = {"ENVELOPE", "FLAGS", "INTERNALDATE", "RFC822", "RFC822.HEADER",
                                       "RFC822.SIZE", "RFC822.TEXT", "BODY", "BODYSTRUCTURE", "UID",
                                       "MODSEQ", "SECTION"};
  std::string out = kNames[static_cast<int>(item.kind)];
  if (item.kind != K::BodySection) return out;
  out = item.peek ? "PEEK[" : "BODY[";
  for (std::size_t i = 0; i < item.section.part.size(); ++i) {
    out += (i ? "." : "") + std::to_string(item.section.part[i]);
  }
  static const char* const kTexts[] = {"", "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT", "MIME"};
  std::string text = kTexts[static_cast<int>(item.section.text)];
  if (!text.empty()) out += (item.section.part.empty() ? "" : ".") + text;
  for (const auto& f : item.section.fields) out += " " + f;
  out += "]";
  if (item.partial) out += "<" + std::to_string(item.partial->first) + "." + std::to_string(item.partial->second) + ">";
  return out;
}

std::vector<std::string> items(std::string_view text) {
  std::vector<std::string> out;
  Command cmd = parse_ok(text);
  for (const auto& i : cmd.as<FetchArgs>().items) out.push_back(describe(i));
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("imap FETCH macros expand", "[imap][fetch]") {
  CHECK(items("a FETCH 1:* ALL") == V{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"});
  CHECK(items("a FETCH 1 fast") == V{"FLAGS", "INTERNALDATE", "RFC822.SIZE"});
  CHECK(items("a FETCH 1 FULL") == V{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"});
  CHECK(parse_error("a FETCH 1 (ALL)") == "Unknown FETCH attribute");
}

TEST_CASE("imap FETCH single attributes", "[imap][fetch]") {
  struct Case {
    const char* text;
    V expected;
  };
  const Case cases[] = {
      {"a FETCH 1 ENVELOPE", {"ENVELOPE"}},
      {"a FETCH 1 flags", {"FLAGS"}},
      {"a FETCH 1 INTERNALDATE", {"INTERNALDATE"}},
      {"a FETCH 1 RFC822", {"RFC822"}},
      {"a FETCH 1 RFC822.HEADER", {"RFC822.HEADER"}},
      {"a FETCH 1 RFC822.SIZE", {"RFC822.SIZE"}},
      {"a FETCH 1 RFC822.TEXT", {"RFC822.TEXT"}},
      {"a FETCH 1 BODY", {"BODY"}},
      {"a FETCH 1 BODYSTRUCTURE", {"BODYSTRUCTURE"}},
      {"a FETCH 1 UID", {"UID"}},
      {"a FETCH 1 MODSEQ", {"MODSEQ"}},
      {"a FETCH 1 BODY[]", {"BODY[]"}},
      {"a FETCH 1 body.peek[]", {"PEEK[]"}},
      {"a FETCH 1 BODY[HEADER]", {"BODY[HEADER]"}},
      {"a FETCH 1 BODY[TEXT]<0.1024>", {"BODY[TEXT]<0.1024>"}},
      {"a FETCH 1 BODY[1]", {"BODY[1]"}},
      {"a FETCH 1 BODY[1.2.3]", {"BODY[1.2.3]"}},
      {"a FETCH 1 BODY[1.2.MIME]", {"BODY[1.2.MIME]"}},
      {"a FETCH 1 BODY[2.TEXT]", {"BODY[2.TEXT]"}},
      {"a FETCH 1 BODY[4.2.HEADER]", {"BODY[4.2.HEADER]"}},
      {"a FETCH 1 BODY.PEEK[1.2.HEADER.FIELDS (To From)]", {"PEEK[1.2.HEADER.FIELDS TO FROM]"}},
      {"a FETCH 1 BODY[header.fields.not (X-Spam \"Received\")]<10.20>",
       {"BODY[HEADER.FIELDS.NOT X-SPAM RECEIVED]<10.20>"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(items(c.text) == c.expected);
  }
}

TEST_CASE("imap FETCH attribute lists and modifiers", "[imap][fetch]") {
  CHECK(items("a UID FETCH 1:* (FLAGS UID BODY.PEEK[HEADER.FIELDS (DATE FROM)] RFC822.SIZE)") ==
        V{"FLAGS", "UID", "PEEK[HEADER.FIELDS DATE FROM]", "RFC822.SIZE"});
  auto f = parse_ok("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)").as<FetchArgs>();
  CHECK(f.changed_since == 12345u);
  CHECK(f.vanished);
  CHECK(format_sequence_set(f.set) == "1:*");
  f = parse_ok("a FETCH 1 FLAGS (changedsince 9223372036854775807)").as<FetchArgs>();
  CHECK(f.changed_since == 9223372036854775807ull);
  CHECK_FALSE(f.vanished);
  CHECK_FALSE(parse_ok("a FETCH 1 FLAGS").as<FetchArgs>().changed_since);
}

TEST_CASE("imap malformed FETCH", "[imap][fetch]") {
  CHECK(parse_error("a FETCH") == "Missing argument");
  CHECK(parse_error("a FETCH 1") == "Missing argument");
  CHECK(parse_error("a FETCH 1:x FLAGS") == "Invalid sequence set");
  CHECK(parse_error("a FETCH 0 FLAGS") == "Invalid sequence set");
  CHECK(parse_error("a FETCH 1 FLAG") == "Unknown FETCH attribute");
  CHECK(parse_error("a FETCH 1 ()") == "Unknown FETCH attribute");
  CHECK(parse_error("a FETCH 1 (FLAGS UID") == "Unbalanced parentheses");
  CHECK(parse_error("a FETCH 1 (FLAGS  UID)") == "Unknown FETCH attribute");
  CHECK(parse_error("a FETCH 1 FLAGS)") == "Unexpected extra arguments");
  CHECK(parse_error("a FETCH 1 BODY[") == "Invalid section");
  CHECK(parse_error("a FETCH 1 BODY[0]") == "Invalid section");
  CHECK(parse_error("a FETCH 1 BODY[1.]") == "Invalid section");
  CHECK(parse_error("a FETCH 1 BODY[MIME]") == "Invalid section");
  CHECK(parse_error("a FETCH 1 BODY[HEADERS]") == "Invalid section");
  CHECK(parse_error("a FETCH 1 BODY[HEADER.FIELDS]") == "Missing header list");
  CHECK(parse_error("a FETCH 1 BODY[HEADER.FIELDS ()]") == "Invalid argument");
  CHECK(parse_error("a FETCH 1 BODY[HEADER.FIELDS (To]") == "Unbalanced parentheses");
  CHECK(parse_error("a FETCH 1 BODY[TEXT]<0>") == "Invalid partial");
  CHECK(parse_error("a FETCH 1 BODY[TEXT]<0.0>") == "Invalid partial");
  CHECK(parse_error("a FETCH 1 BODY[TEXT]<1.2") == "Invalid partial");
  CHECK(parse_error("a FETCH 1 BODY.PEEK") == "Missing section");
  CHECK(parse_error("a FETCH 1 FLAGS (VANISHED CHANGEDSINCE 1)") == "VANISHED needs UID FETCH");
  CHECK(parse_error("a UID FETCH 1 FLAGS (VANISHED)") == "VANISHED needs CHANGEDSINCE");
  CHECK(parse_error("a FETCH 1 FLAGS (CHANGEDSINCE)") == "Expected space");
  CHECK(parse_error("a FETCH 1 FLAGS (CHANGEDSINCE 1") == "Unbalanced parentheses");
  CHECK(parse_error("a FETCH 1 FLAGS (CHANGEDSINCE 9223372036854775808)") == "Number too large");
  CHECK(parse_error("a FETCH 1 FLAGS (FOO)") == "Unknown FETCH modifier");
}

TEST_CASE("imap STORE modes, silence and flag forms", "[imap][store]") {
  struct Case {
    const char* text;
    StoreArgs::Mode mode;
    bool silent;
    std::vector<std::string> flags;
  };
  const Case cases[] = {
      {"a STORE 1 FLAGS (\\Seen)", StoreArgs::Mode::Replace, false, {"\\Seen"}},
      {"a STORE 1 +FLAGS (\\Seen \\Deleted $Junk)", StoreArgs::Mode::Add, false, {"\\Seen", "\\Deleted", "$Junk"}},
      {"a STORE 1 -FLAGS.SILENT (\\Flagged)", StoreArgs::Mode::Remove, true, {"\\Flagged"}},
      {"a STORE 1 +flags.silent \\Answered work", StoreArgs::Mode::Add, true, {"\\Answered", "work"}},
      {"a STORE 1 FLAGS ()", StoreArgs::Mode::Replace, false, {}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto s = parse_ok(c.text).as<StoreArgs>();
    CHECK(s.mode == c.mode);
    CHECK(s.silent == c.silent);
    CHECK(s.flags == c.flags);
    CHECK_FALSE(s.unchanged_since);
  }
  auto s = parse_ok("a UID STORE 2:4 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)").as<StoreArgs>();
  CHECK(s.unchanged_since == 320162338u);
  CHECK(format_sequence_set(s.set) == "2:4");
  CHECK(parse_ok("a STORE 1 (UNCHANGEDSINCE 0) FLAGS ()").as<StoreArgs>().unchanged_since == 0u);
}

TEST_CASE("imap malformed STORE", "[imap][store]") {
  CHECK(parse_error("a STORE 1") == "Missing argument");
  CHECK(parse_error("a STORE 1 FLAGS") == "Missing argument");
  CHECK(parse_error("a STORE 1 *FLAGS (\\Seen)") == "Invalid STORE data item");
  CHECK(parse_error("a STORE 1 FLAGS.LOUD (\\Seen)") == "Invalid STORE data item");
  CHECK(parse_error("a STORE 1 FLAGS (\\Seen") == "Unbalanced parentheses");
  CHECK(parse_error("a STORE 1 FLAGS (\\)") == "Invalid flag");
  CHECK(parse_error("a STORE 1 FLAGS (\\Seen)x") == "Unexpected extra arguments");
  CHECK(parse_error("a STORE 1 (UNCHANGEDSINCE x) FLAGS ()") == "Invalid number");
  CHECK(parse_error("a STORE 1 (UNCHANGEDSINCE 1 FLAGS ()") == "Expected ')'");
  CHECK(parse_error("a STORE 1 (FOO 1) FLAGS ()") == "Unknown STORE modifier");
  CHECK(parse_error("a STORE x FLAGS ()") == "Invalid sequence set");
}
