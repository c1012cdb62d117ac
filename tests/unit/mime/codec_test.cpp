// RFC 2047 encoded words, transfer decoding, charset conversion and UTF-8 repair.
#include <catch2/catch.hpp>

#include "proto/mime/codec.hpp"

using namespace pillarbox;
using namespace pillarbox::mime;

TEST_CASE("decode_words decodes B and Q words", "[mime][codec]") {
  CHECK(decode_words("=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.de>") ==
        "J\xC3\xB6rg M\xC3\xBCller <joerg@example.de>");
  CHECK(decode_words("=?ISO-8859-1?Q?Andr=E9?= Pirard") == "Andr\xC3\xA9 Pirard");
  CHECK(decode_words("=?iso-8859-1?q?this=20is=20some=20text?=") == "this is some text");
  CHECK(decode_words("=?utf-8?q?a_b?=") == "a b");
  CHECK(decode_words("no words here") == "no words here");
}

TEST_CASE("decode_words follows the RFC 2047 section 8 whitespace rules", "[mime][codec]") {
  CHECK(decode_words("(=?ISO-8859-1?Q?a?=)") == "(a)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?= b)") == "(a b)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == "(ab)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)") == "(ab)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)") == "(ab)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a_b?=)") == "(a b)");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") == "(a b)");
}

TEST_CASE("decode_words joins a character split across words", "[mime][codec]") {
  // U+00FC (C3 BC) split between two B words.
  CHECK(decode_words("=?UTF-8?B?w4==?= =?UTF-8?B?vA==?=") == "\xC3\xBC");
  CHECK(decode_words("=?UTF-8?Q?=C3?= =?UTF-8?Q?=BC?=") == "\xC3\xBC");
}

TEST_CASE("decode_words leaves what it cannot decode", "[mime][codec]") {
  CHECK(decode_words("=?x-unknown?Q?abc?= rest") == "=?x-unknown?Q?abc?= rest");
  CHECK(decode_words("=?x-unknown?Q?a?= =?x-unknown?Q?b?=") == "=?x-unknown?Q?a?= =?x-unknown?Q?b?=");
  CHECK(decode_words("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=");
  CHECK(decode_words("=?utf-8?q?no end") == "=?utf-8?q?no end");
  CHECK(decode_words("=?utf-8?q?has space?=") == "=?utf-8?q?has space?=");
  CHECK(decode_words("=?=?utf-8?q?x?=") == "=?x");
  CHECK(decode_words("=?utf-8*en?q?lang?=") == "lang");
}

TEST_CASE("decode_words output is always valid UTF-8", "[mime][codec]") {
  CHECK(decode_words("caf\xE9") == "caf\xC3\xA9");  // raw latin-1 read as windows-1252
  CHECK(decode_words("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(decode_words("=?utf-8?q?bad=FF?=") == "bad\xEF\xBF\xBD");
  CHECK(decode_words("=?utf-8?q?nul=00?=") == "nul\xEF\xBF\xBD");
  CHECK(is_utf8(decode_words("=?iso-2022-jp?B?GyRCJEgkYhsoQg==?=")));
}

TEST_CASE("decode_transfer base64", "[mime][codec]") {
  CHECK(decode_transfer("SGVsbG8sIHdvcmxkIQ==", "base64") == "Hello, world!");
  CHECK(decode_transfer("SGVs\r\nbG8s\r\nIHdv\r\ncmxk\r\nIQ==\r\n", "BASE64") == "Hello, world!");
  CHECK(decode_transfer("SGVsbG8", "base64") == "Hello");
  CHECK(decode_transfer("SGV*sb!G8", "base64") == "Hello");
  CHECK(decode_transfer("", "base64").empty());
}

TEST_CASE("decode_transfer quoted-printable", "[mime][codec]") {
  CHECK(decode_transfer("caf=E9 cr=e8me", "quoted-printable") == "caf\xE9 cr\xE8me");
  CHECK(decode_transfer("soft =\r\nbreak\r\nhard\r\n", "Quoted-Printable") == "soft break\r\nhard\r\n");
  CHECK(decode_transfer("soft =\nbreak\n", "quoted-printable") == "soft break\n");
  CHECK(decode_transfer("trailing   \r\nspace", "quoted-printable") == "trailing\r\nspace");
  CHECK(decode_transfer("soft with space= \r\nx", "quoted-printable") == "soft with spacex");
  CHECK(decode_transfer("bad =ZZ and =4", "quoted-printable") == "bad =ZZ and =4");
  CHECK(decode_transfer("a=3Db", "quoted-printable") == "a=b");
}

TEST_CASE("decode_transfer passes other encodings through", "[mime][codec]") {
  CHECK(decode_transfer("=E9", "7bit") == "=E9");
  CHECK(decode_transfer("SGVsbG8=", "8bit") == "SGVsbG8=");
  CHECK(decode_transfer("x", "x-uuencode") == "x");
}

TEST_CASE("to_utf8 converts with iconv", "[mime][codec]") {
  CHECK(*to_utf8("caf\xE9", "iso-8859-1") == "caf\xC3\xA9");
  CHECK(*to_utf8("\x80", "ISO-8859-1") == "\xE2\x82\xAC");  // read as windows-1252
  CHECK(*to_utf8("\xA4", "iso-8859-15") == "\xE2\x82\xAC");
  CHECK(*to_utf8("\x82\xA0", "shift_jis") == "\xE3\x81\x82");
  CHECK(*to_utf8("\xB0\xA1", "gb2312") == "\xE5\x95\x8A");
  CHECK(*to_utf8("+AKM-1", "utf-7") == "\xC2\xA3" "1");
  CHECK(*to_utf8("x", "\"utf-8\"") == "x");
}

TEST_CASE("to_utf8 repairs UTF-8 and ASCII labels", "[mime][codec]") {
  CHECK(*to_utf8("caf\xC3\xA9", "us-ascii") == "caf\xC3\xA9");  // mislabelled UTF-8
  CHECK(*to_utf8("caf\xE9", "us-ascii") == "caf\xC3\xA9");      // mislabelled latin-1
  CHECK(*to_utf8("caf\xE9", "") == "caf\xC3\xA9");
  CHECK(*to_utf8("caf\xE9", "utf-8") == "caf\xEF\xBF\xBD");
  CHECK(*to_utf8("ok", "UTF8") == "ok");
}

TEST_CASE("to_utf8 replaces invalid input and refuses unknown charsets", "[mime][codec]") {
  CHECK(*to_utf8("a\x81z", "windows-1252") == "a\xEF\xBF\xBDz");
  CHECK(*to_utf8("\x82", "shift_jis") == "\xEF\xBF\xBD");  // truncated at the end
  auto unknown = to_utf8("x", "x-no-such-charset");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::InvalidInput);
  CHECK_FALSE(to_utf8("x", "utf-8//translit").ok());
  CHECK_FALSE(to_utf8("x", std::string(50, 'a')).ok());
}

TEST_CASE("is_utf8 and repair_utf8", "[mime][codec]") {
  CHECK(is_utf8(""));
  CHECK(is_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  CHECK_FALSE(is_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(is_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_utf8("\xE2\x82"));          // truncated
  CHECK(repair_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(repair_utf8(std::string_view("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(repair_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
