// Dates, folding, quoted-printable and cleaning (proto/dsn/format.hpp).
#include "proto/dsn/format.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "proto/dsn/original.hpp"
#include "proto/mime/codec.hpp"
#include "proto/mime/headers.hpp"

using namespace pillarbox::dsn;
using pillarbox::dsn::test::check_wire;
using namespace std::string_view_literals;

namespace {

// The value of the single field in `text`, unfolded by proto/mime.
std::string unfolded(const std::string& text) {
  auto block = pillarbox::mime::read_headers(text, 0, text.size(), text.size() + 1);
  REQUIRE(block);
  REQUIRE(block->headers.size() == 1);
  return block->headers[0].value;
}

}  // namespace

TEST_CASE("RFC 5322 dates with numeric zones", "[dsn][format]") {
  CHECK(format_date(0, 0) == "Thu, 1 Jan 1970 00:00:00 +0000");
  CHECK(format_date(1772530200, 0) == "Tue, 3 Mar 2026 09:30:00 +0000");
  CHECK(format_date(1772530200, 60) == "Tue, 3 Mar 2026 10:30:00 +0100");
  CHECK(format_date(1772530200, -330) == "Tue, 3 Mar 2026 04:00:00 -0530");
  CHECK(format_date(1709208000, 0) == "Thu, 29 Feb 2024 12:00:00 +0000");
  CHECK(format_date(951782400, 0) == "Tue, 29 Feb 2000 00:00:00 +0000");
  CHECK(format_date(-1, 0) == "Wed, 31 Dec 1969 23:59:59 +0000");
  CHECK(format_date(1772496000, -60) == "Mon, 2 Mar 2026 23:00:00 -0100");
}

TEST_CASE("short fields stay on one line", "[dsn][format]") {
  std::string out;
  append_field(out, "Action", "failed");
  CHECK(out == "Action: failed\r\n");
}

TEST_CASE("long fields fold at whitespace and unfold unchanged", "[dsn][format]") {
  std::string value;
  for (int i = 0; i < 40; ++i) value += (i ? " " : "") + std::string("word") + std::to_string(i);
  std::string out;
  append_field(out, "Diagnostic-Code", "smtp; " + value);
  check_wire(out);
  CHECK(out.find("\r\n ") != std::string::npos);
  std::size_t start = 0;
  for (std::size_t crlf = out.find("\r\n"); crlf != std::string::npos;
       crlf = out.find("\r\n", start)) {
    CHECK(crlf - start <= 78);
    start = crlf + 2;
  }
  CHECK(unfolded(out) == "smtp; " + value);
}

TEST_CASE("a newline in a value forces a fold", "[dsn][format]") {
  std::string out;
  append_field(out, "Diagnostic-Code", "smtp; 550-5.1.1 first\n550 5.1.1 second");
  CHECK(out == "Diagnostic-Code: smtp; 550-5.1.1 first\r\n 550 5.1.1 second\r\n");
  CHECK(unfolded(out) == "smtp; 550-5.1.1 first 550 5.1.1 second");
  std::string skip;
  append_field(skip, "X", "a\n\nb\n");
  CHECK(skip == "X: a\r\n b\r\n");
  std::string blank;  // no continuation line of whitespace alone
  append_field(blank, "X", "a\n   \nb");
  CHECK(blank == "X: a   \r\n b\r\n");
}

TEST_CASE("a word longer than a line is cut at 998 octets", "[dsn][format]") {
  const std::string word(2500, 'x');
  std::string out;
  append_field(out, "Diagnostic-Code", "smtp; 550 " + word);
  check_wire(out);
  std::string back = unfolded(out);
  // Each hard cut adds one space; removing them gives the value back.
  std::string joined;
  for (char c : back) {
    if (c != ' ') joined += c;
  }
  CHECK(joined == "smtp;550" + word);
}

TEST_CASE("quoted-printable keeps lines short and round-trips", "[dsn][format]") {
  const std::string text =
      "plain line\n"
      "caf\xC3\xA9 = coffee \n" +
      std::string(200, 'a') + "\n" + "tab\tin the middle\t\n";
  const std::string qp = qp_encode(text);
  check_wire(qp);
  std::size_t start = 0;
  for (std::size_t crlf = qp.find("\r\n"); crlf != std::string::npos;
       crlf = qp.find("\r\n", start)) {
    CHECK(crlf - start <= 76);
    start = crlf + 2;
  }
  CHECK(qp.find("caf=C3=A9 =3D coffee=20\r\n") != std::string::npos);
  CHECK(qp.find("middle=09\r\n") != std::string::npos);
  std::string lf_form;
  for (char c : pillarbox::mime::decode_transfer(qp, "quoted-printable")) {
    if (c != '\r') lf_form += c;
  }
  CHECK(lf_form == text);
}

TEST_CASE("quoted-printable keeps a CR that ends the text", "[dsn][format]") {
  // Found by tests/fuzz/dsn_parse_fuzz: only a CR before LF belongs to the
  // line end; a final bare CR was dropped and did not round-trip.
  CHECK(qp_encode("abc\r") == "abc=0D\r\n");
  CHECK(qp_encode("a\n\r") == "a\r\n=0D\r\n");
  CHECK(qp_encode("a\r\n") == "a\r\n");
  CHECK(pillarbox::mime::decode_transfer(qp_encode("x\n\n\r"), "quoted-printable") == "x\r\n\r\n\r\r\n");
}

TEST_CASE("cleaning text and addresses for report fields", "[dsn][format]") {
  CHECK(clean_text("a\rb\nc\0d\te"sv, false) == "a b c d\te");
  CHECK(clean_text("caf\xC3\xA9", false) == "caf??");
  CHECK(clean_text("caf\xC3\xA9", true) == "caf\xC3\xA9");
  CHECK(clean_text("bad \xFF\xC3", true) == "bad ??");
  CHECK(clean_address("user+tag@example.org", false) == "user+tag@example.org");
  CHECK(clean_address("\"john doe\"@example.org", false) == "\"john doe\"@example.org");
  CHECK(clean_address("evil\r\nBcc: x@y", false) == "evil+0D+0ABcc: x@y");
  CHECK(clean_address("j\xC3\xB6rg@example.de", false) == "j+C3+B6rg@example.de");
  CHECK(clean_address("j\xC3\xB6rg@example.de", true) == "j\xC3\xB6rg@example.de");
  CHECK(is_ascii("abc"));
  CHECK_FALSE(is_ascii("\xC3\xA9"));
}

TEST_CASE("header section and CRLF form of the original", "[dsn][format]") {
  CHECK(header_section("A: 1\r\nB: 2\r\n\r\nbody\r\n") == "A: 1\r\nB: 2\r\n");
  CHECK(header_section("A: 1\nB: 2\n\nbody\n") == "A: 1\nB: 2\n");
  CHECK(header_section("A: 1\r\nB: 2\r\n") == "A: 1\r\nB: 2\r\n");
  CHECK(header_section("\r\nbody") == "");
  CHECK(*to_crlf_lines("a\nb\r\nc") == "a\r\nb\r\nc\r\n");
  CHECK(*to_crlf_lines("") == "");
  CHECK_FALSE(to_crlf_lines("a\rb\r\n"));
  CHECK_FALSE(to_crlf_lines("a\0b\r\n"sv));
  CHECK(to_crlf_lines(std::string(998, 'x') + "\r\n"));
  CHECK_FALSE(to_crlf_lines(std::string(999, 'x') + "\r\n"));
}
