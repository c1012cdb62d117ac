// Unit tests of modified UTF-7 mailbox names (proto/imap/mutf7.hpp): the
// examples of RFC 3501 §5.1.3, round trips, and the forms a strict decoder
// must refuse.
#include <catch2/catch.hpp>

#include "proto/imap/mutf7.hpp"

using namespace pillarbox::imap;

TEST_CASE("imap modified UTF-7 decodes and encodes RFC 3501 examples", "[imap][mutf7]") {
  struct Case {
    const char* wire;
    const char* utf8;
  };
  const Case cases[] = {
      {"~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
      {"INBOX", "INBOX"},
      {"&-", "&"},
      {"A&-B", "A&B"},
      {"Entw&APw-rfe", "Entw\xc3\xbc" "rfe"},
      {"&AMQ-rger &AMQA1gDc-", "\xc3\x84rger \xc3\x84\xc3\x96\xc3\x9c"},
      {"&2D3eAA-", "\xf0\x9f\x98\x80"},  // U+1F600, a surrogate pair
      {"", ""},
      {"Sent Items", "Sent Items"},
  };
  for (const Case& c : cases) {
    INFO(c.wire);
    auto decoded = decode_mutf7(c.wire);
    REQUIRE(decoded.ok());
    CHECK(*decoded == c.utf8);
    auto encoded = encode_mutf7(c.utf8);
    REQUIRE(encoded.ok());
    CHECK(*encoded == c.wire);
  }
}

TEST_CASE("imap modified UTF-7 refuses non-canonical and broken forms", "[imap][mutf7]") {
  for (const char* wire : {
           "&U,BTFw",        // unterminated
           "&U/BTFw-",       // "/" instead of ","
           "&AGE-",          // "a" must be written directly
           "&AMQ-&ANY-",     // adjacent runs
           "&AMQ=-",         // padding
           "&AM-",           // half a UTF-16 unit
           "&AMR-",          // non-zero leftover bits
           "&2D0-",          // lone high surrogate
           "&3gA-",          // lone low surrogate
           "a\x01b",         // control character
           "caf\xc3\xa9",    // raw 8-bit
           "&AAA-",          // NUL
       }) {
    INFO(wire);
    auto d = decode_mutf7(wire);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "Invalid modified UTF-7 mailbox name");
  }
}

TEST_CASE("imap modified UTF-7 encoding refuses invalid UTF-8 unless lossy", "[imap][mutf7]") {
  for (const char* utf8 : {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\x80"}) {
    INFO(utf8);
    auto e = encode_mutf7(utf8);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "Invalid UTF-8 mailbox name");
  }
  CHECK(encode_mutf7_lossy("a\xff" "b") == "a&,,0-b");
}

TEST_CASE("imap modified UTF-7 round trips every plane", "[imap][mutf7]") {
  std::string name = "x";
  name += "\xc2\xa0";           // U+00A0
  name += "\xe2\x82\xac";       // U+20AC
  name += "&";
  name += "\xf4\x8f\xbf\xbf";   // U+10FFFF
  name += "\t";                 // control: shifted
  auto wire = encode_mutf7(name);
  REQUIRE(wire.ok());
  auto back = decode_mutf7(*wire);
  REQUIRE(back.ok());
  CHECK(*back == name);
}
