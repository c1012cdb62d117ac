// Header blocks: unfolding, offsets, bare LF, junk lines and the size limit.
#include <catch2/catch.hpp>

#include "proto/mime/headers.hpp"

using namespace pillarbox;
using namespace pillarbox::mime;

namespace {

HeaderBlock read(std::string_view raw, std::size_t max = 1 << 20) {
  auto block = read_headers(raw, 0, raw.size(), max);
  REQUIRE(block.ok());
  return std::move(*block);
}

}  // namespace

TEST_CASE("fields are unfolded with exact offsets", "[mime][headers]") {
  const std::string raw = "Subject: Hello\r\n  world \r\nX-Empty:\r\nTo:\ta@b\r\n\r\nbody";
  const HeaderBlock b = read(raw);
  REQUIRE(b.headers.size() == 3);
  CHECK(b.headers[0].name == "Subject");
  CHECK(b.headers[0].value == "Hello  world ");  // trailing whitespace is kept, as Dovecot keeps it
  CHECK(b.headers[0].offset == 0);
  CHECK(b.headers[1].name == "X-Empty");
  CHECK(b.headers[1].value.empty());
  CHECK(raw.substr(b.headers[1].offset, 7) == "X-Empty");
  CHECK(b.headers[2].value == "a@b");
  CHECK(raw.substr(b.headers[2].offset, 3) == "To:");
  CHECK(raw.substr(b.body_start) == "body");
}

TEST_CASE("bare LF line endings", "[mime][headers]") {
  const std::string raw = "A: 1\nB: 2\n 3\n\nbody\n";
  const HeaderBlock b = read(raw);
  REQUIRE(b.headers.size() == 2);
  CHECK(b.headers[1].value == "2 3");
  CHECK(b.headers[1].offset == 5);
  CHECK(raw.substr(b.body_start) == "body\n");
}

TEST_CASE("lines without a colon are skipped and names are trimmed", "[mime][headers]") {
  const std::string raw =
      "From sender@example.com Tue Jul  1 10:00:00 2003\r\n continuation of nothing\r\n"
      "Subject : spaced\r\nno colon here\r\n\r\n";
  const HeaderBlock b = read(raw);
  REQUIRE(b.headers.size() == 1);
  CHECK(b.headers[0].name == "Subject");
  CHECK(b.headers[0].value == "spaced");
  CHECK(b.body_start == raw.size());
}

TEST_CASE("a block without blank line ends at the region end", "[mime][headers]") {
  const std::string raw = "A: 1\r\nB: 2";
  const HeaderBlock b = read(raw);
  CHECK(b.headers.size() == 2);
  CHECK(b.body_start == raw.size());
}

TEST_CASE("a message starting with a blank line has no headers", "[mime][headers]") {
  const HeaderBlock b = read("\r\nbody\r\n");
  CHECK(b.headers.empty());
  CHECK(b.body_start == 2);
}

TEST_CASE("an empty first line drops the continuation's leading whitespace", "[mime][headers]") {
  const HeaderBlock b = read("Subject:\r\n \t text\r\n\r\n");
  REQUIRE(b.headers.size() == 1);
  CHECK(b.headers[0].value == "text");
}

TEST_CASE("a lone CR is not a line break", "[mime][headers]") {
  const HeaderBlock b = read("A: x\ry\r\n\r\n");
  REQUIRE(b.headers.size() == 1);
  CHECK(b.headers[0].value == "x\ry");
}

TEST_CASE("header blocks over the limit are refused", "[mime][headers]") {
  const std::string raw = "Subject: " + std::string(100, 'x') + "\r\n\r\n";
  auto block = read_headers(raw, 0, raw.size(), 50);
  REQUIRE_FALSE(block.ok());
  CHECK(block.error().code == ErrorCode::TooBig);
  CHECK(read_headers(raw, 0, raw.size(), raw.size()).ok());
}

TEST_CASE("find_header is case-insensitive and returns the first", "[mime][headers]") {
  const HeaderBlock b = read("subject: one\r\nSUBJECT: two\r\n\r\n");
  REQUIRE(find_header(b.headers, "Subject") != nullptr);
  CHECK(find_header(b.headers, "Subject")->value == "one");
  CHECK(find_header(b.headers, "From") == nullptr);
}
