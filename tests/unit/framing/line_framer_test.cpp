// Unit tests of the POP3 command-line framer (proto/pop3/framer.hpp): line
// ends, the length limit, skipping a too-long line across calls, and that any
// slicing of the input gives the same lines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/framing/line_framer.hpp"

using namespace pillarbox::framing;

namespace {

// Feeds `input` in slices of `step` octets (0 = whole), as the session does:
// unconsumed octets are kept and offered again with the next slice. Lines
// come out as their text, too-long lines as "<too long>".
std::vector<std::string> frame(const std::string& input, std::size_t max_line, std::size_t step = 0) {
  LineFramer framer(max_line);
  std::vector<std::string> out;
  std::string buffer;
  for (std::size_t pos = 0; pos < input.size();) {
    std::size_t n = step == 0 ? input.size() - pos : std::min(step, input.size() - pos);
    buffer.append(input, pos, n);
    pos += n;
    while (true) {
      LineFramer::Result r = framer.next(buffer);
      if (r.kind == LineFramer::Kind::Line) out.emplace_back(r.line);
      if (r.kind == LineFramer::Kind::TooLong) out.emplace_back("<too long>");
      buffer.erase(0, r.consumed);
      if (r.kind == LineFramer::Kind::NeedMore) break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("pop3 lines end at CRLF or a bare LF", "[pop3][framer]") {
  CHECK(frame("STAT\r\nLIST 1\nNOOP\r\n", 100) == std::vector<std::string>{"STAT", "LIST 1", "NOOP"});
  CHECK(frame("\r\n\n", 100) == std::vector<std::string>{"", ""});
}

TEST_CASE("pop3 a bare CR inside a line stays in it", "[pop3][framer]") {
  CHECK(frame("US\rER\r\r\n", 100) == std::vector<std::string>{"US\rER\r"});
}

TEST_CASE("pop3 an incomplete line needs more and consumes nothing", "[pop3][framer]") {
  LineFramer framer(100);
  LineFramer::Result r = framer.next("STA");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  CHECK(r.consumed == 0);
  r = framer.next("STAT\r");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  CHECK(r.consumed == 0);
}

TEST_CASE("pop3 a line of exactly max_line octets passes, one more is too long", "[pop3][framer]") {
  CHECK(frame("12345\r\n", 5) == std::vector<std::string>{"12345"});
  CHECK(frame("123456\r\n", 5) == std::vector<std::string>{"<too long>"});
  // The CR of an exact-length line arriving alone is not counted as content.
  CHECK(frame("12345\r\n", 5, 1) == std::vector<std::string>{"12345"});
  CHECK(frame("12345\r\n", 5, 6) == std::vector<std::string>{"12345"});
}

TEST_CASE("pop3 a too-long line is reported once and skipped to its end", "[pop3][framer]") {
  const std::string input = std::string(40, 'x') + "\r\n" + "NOOP\r\n" + std::string(12, 'y') + "\nQUIT\n";
  const std::vector<std::string> expected{"<too long>", "NOOP", "<too long>", "QUIT"};
  for (std::size_t step : {0, 1, 2, 3, 7, 11}) {
    INFO("step " << step);
    CHECK(frame(input, 10, step) == expected);
  }
}

TEST_CASE("pop3 a too-long line without its end yet is reported at once", "[pop3][framer]") {
  LineFramer framer(4);
  LineFramer::Result r = framer.next("ABCDEF");
  CHECK(r.kind == LineFramer::Kind::TooLong);
  CHECK(r.consumed == 6);
  CHECK(framer.skipping());
  r = framer.next("GHI");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  CHECK(r.consumed == 3);
  r = framer.next("J\r\nSTAT\r\n");
  CHECK(r.kind == LineFramer::Kind::Line);
  CHECK(r.line == "STAT");
  CHECK(r.consumed == 9);
  CHECK_FALSE(framer.skipping());
}

TEST_CASE("pop3 reset forgets a line being skipped", "[pop3][framer]") {
  LineFramer framer(4);
  (void)framer.next("ABCDEF");
  REQUIRE(framer.skipping());
  framer.reset();
  LineFramer::Result r = framer.next("STAT\r\n");
  CHECK(r.kind == LineFramer::Kind::Line);
  CHECK(r.line == "STAT");
}
