// Unit tests of multi-line responses (proto/pop3/multiline.hpp) and message
// text for RETR and TOP (proto/pop3/message_text.hpp): dot-stuffing, the
// final CRLF, TOP's line counting, line-end repair, chunking.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "proto/pop3/message_text.hpp"
#include "proto/pop3/multiline.hpp"

using namespace pillarbox::pop3;

namespace {

// The response body for `raw` (status line "+OK" included), chunks joined.
std::string render(std::string_view raw, std::optional<std::size_t> top = std::nullopt) {
  MultilineWriter writer;
  writer.status("+OK");
  write_message(raw, top, writer);
  std::string out;
  for (const std::string& chunk : writer.finish()) out += chunk;
  return out;
}

}  // namespace

TEST_CASE("pop3 lines starting with a dot are stuffed, others are not", "[pop3][message]") {
  CHECK(render(".\r\n..\r\n.x\r\nx.\r\n \r\n") == "+OK\r\n..\r\n...\r\n..x\r\nx.\r\n \r\n.\r\n");
}

TEST_CASE("pop3 the status line is never stuffed", "[pop3][message]") {
  MultilineWriter writer;
  writer.status(".odd");
  writer.line(".x");
  std::vector<std::string> chunks = writer.finish();
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0] == ".odd\r\n..x\r\n.\r\n");
}

TEST_CASE("pop3 a message without a final CRLF gets one before the dot", "[pop3][message]") {
  CHECK(render("Subject: x\r\n\r\nno end") == "+OK\r\nSubject: x\r\n\r\nno end\r\n.\r\n");
  CHECK(render(".") == "+OK\r\n..\r\n.\r\n");
}

TEST_CASE("pop3 an empty message is just the terminator", "[pop3][message]") {
  CHECK(render("") == "+OK\r\n.\r\n");
  CHECK(render("", 5) == "+OK\r\n.\r\n");
}

TEST_CASE("pop3 a message ending in a blank line keeps it", "[pop3][message]") {
  CHECK(render("a\r\n\r\n") == "+OK\r\na\r\n\r\n.\r\n");
}

TEST_CASE("pop3 bare LF and bare CR end lines and go out as CRLF", "[pop3][message]") {
  CHECK(render("a\nb\rc\r\nd") == "+OK\r\na\r\nb\r\nc\r\nd\r\n.\r\n");
  // A message that would end the response early for a client splitting at LF.
  CHECK(render("x\n.\nRETR 1\n") == "+OK\r\nx\r\n..\r\nRETR 1\r\n.\r\n");
  CHECK(render("x\r\r\ny") == "+OK\r\nx\r\n\r\ny\r\n.\r\n");
}

TEST_CASE("pop3 TOP gives the headers, the blank line and n body lines", "[pop3][message][top]") {
  const std::string m = "A: 1\r\nB: 2\r\n\r\none\r\n.two\r\nthree\r\n";
  CHECK(render(m, 0) == "+OK\r\nA: 1\r\nB: 2\r\n\r\n.\r\n");
  CHECK(render(m, 1) == "+OK\r\nA: 1\r\nB: 2\r\n\r\none\r\n.\r\n");
  CHECK(render(m, 2) == "+OK\r\nA: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n");
  CHECK(render(m, 3) == render(m));
  CHECK(render(m, 1000) == render(m));
  CHECK(render(m, SIZE_MAX) == render(m));
}

TEST_CASE("pop3 TOP counts a body line without CRLF and adds one", "[pop3][message][top]") {
  CHECK(render("A: 1\r\n\r\nx\r\ny", 2) == "+OK\r\nA: 1\r\n\r\nx\r\ny\r\n.\r\n");
  CHECK(render("A: 1\r\n\r\nx\r\ny", 1) == "+OK\r\nA: 1\r\n\r\nx\r\n.\r\n");
}

TEST_CASE("pop3 TOP of a message with an empty body or no body", "[pop3][message][top]") {
  CHECK(render("A: 1\r\n\r\n", 0) == "+OK\r\nA: 1\r\n\r\n.\r\n");
  CHECK(render("A: 1\r\n\r\n", 10) == "+OK\r\nA: 1\r\n\r\n.\r\n");
  // No blank line: the whole message is headers, and nothing is invented.
  CHECK(render("A: 1\r\nB: 2\r\n", 0) == "+OK\r\nA: 1\r\nB: 2\r\n.\r\n");
  CHECK(render("A: 1", 0) == "+OK\r\nA: 1\r\n.\r\n");
}

TEST_CASE("pop3 TOP counts blank lines inside the body", "[pop3][message][top]") {
  CHECK(render("A: 1\r\n\r\n\r\n\r\nx\r\n", 2) == "+OK\r\nA: 1\r\n\r\n\r\n\r\n.\r\n");
}

TEST_CASE("pop3 TOP finds the header end across bare LFs", "[pop3][message][top]") {
  CHECK(render("A: 1\n\nbody 1\nbody 2\n", 1) == "+OK\r\nA: 1\r\n\r\nbody 1\r\n.\r\n");
}

TEST_CASE("pop3 chunks end at line ends and join to the whole response", "[pop3][message]") {
  std::string raw;
  for (std::size_t i = 0; i < 500; ++i) raw += (i % 7 == 0 ? "." : "") + std::string(i % 61, 'x') + "\r\n";
  MultilineWriter small(100);
  small.status("+OK");
  write_message(raw, std::nullopt, small);
  std::vector<std::string> chunks = small.finish();
  CHECK(chunks.size() > 10);
  std::string joined;
  for (const std::string& c : chunks) {
    CHECK(c.size() >= 2);
    CHECK(c.compare(c.size() - 2, 2, "\r\n") == 0);
    joined += c;
  }
  // Every chunk but the last reached the chunk size, and no more than one line beyond it.
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
    CHECK(chunks[i].size() >= 100);
    CHECK(chunks[i].size() < 100 + 64);
  }
  CHECK(joined == render(raw));
  CHECK(small.finish() == std::vector<std::string>{".\r\n"});  // finish() emptied the writer
}
