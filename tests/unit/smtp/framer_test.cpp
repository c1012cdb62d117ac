// Unit tests of the SMTP framers (proto/smtp/framer.hpp): command lines and
// their limit, DATA dot-unstuffing and the smuggling variants, BDAT chunks,
// the bounded message buffer; plus the hop counter and line-end normaliser.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/smtp/framer.hpp"
#include "proto/smtp/message_text.hpp"

using namespace pillarbox::smtp;

namespace {

struct DataOutcome {
  bool done = false;
  std::size_t consumed = 0;
  std::string text;
  std::uint64_t size = 0;
  bool overflow = false;
};

// Feeds `input` to a fresh DataFramer in slices of `step` octets (0 = whole).
DataOutcome run_data(const std::string& input, std::size_t step = 0, std::uint64_t max = 1 << 20) {
  DataFramer framer;
  MessageBuffer buffer(max);
  DataOutcome out;
  std::size_t pos = 0;
  while (pos < input.size() && !out.done) {
    std::size_t n = step == 0 ? input.size() - pos : std::min(step, input.size() - pos);
    auto r = framer.feed(std::string_view(input).substr(pos, n), buffer);
    out.consumed += r.consumed;
    out.done = r.done;
    pos += n;
  }
  out.size = buffer.size();
  out.overflow = buffer.overflow();
  out.text = buffer.text();
  return out;
}

}  // namespace

TEST_CASE("line framer returns CRLF and bare LF lines", "[smtp][framer]") {
  LineFramer f(100);
  auto r = f.next("EHLO a\r\nNOOP\nQUIT");
  CHECK(r.kind == LineFramer::Kind::Line);
  CHECK(r.line == "EHLO a");
  CHECK(r.consumed == 8);
  r = f.next("NOOP\nQUIT");
  CHECK(r.line == "NOOP");
  CHECK(r.consumed == 5);
  r = f.next("QUIT");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  CHECK(r.consumed == 0);
  r = f.next("QUIT\r");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  r = f.next("A\rB\r\n");
  CHECK(r.line == "A\rB");  // a CR inside the line stays; the parser refuses it
  r = f.next("\r\n");
  CHECK(r.kind == LineFramer::Kind::Line);
  CHECK(r.line.empty());
}

TEST_CASE("line framer limit counts content without CRLF", "[smtp][framer]") {
  LineFramer f(4);
  CHECK(f.next("abcd\r\n").kind == LineFramer::Kind::Line);
  CHECK(f.next("abcd\r").kind == LineFramer::Kind::NeedMore);
  CHECK(f.next("abcde\r\n").kind == LineFramer::Kind::TooLong);
  CHECK_FALSE(f.skipping());  // the whole line was there: nothing left to skip
}

TEST_CASE("line framer skips the rest of a long line across calls", "[smtp][framer]") {
  LineFramer f(4);
  auto r = f.next("abcde");
  CHECK(r.kind == LineFramer::Kind::TooLong);
  CHECK(r.consumed == 5);
  CHECK(f.skipping());
  r = f.next("more and more");
  CHECK(r.kind == LineFramer::Kind::NeedMore);
  CHECK(r.consumed == 13);
  r = f.next("end\r\nQUIT\r\n");
  CHECK(r.kind == LineFramer::Kind::Line);
  CHECK(r.line == "QUIT");
  CHECK(r.consumed == 11);
  CHECK_FALSE(f.skipping());
}

TEST_CASE("line framer gives one TooLong however the line is sliced", "[smtp][framer]") {
  const std::string input = std::string(50, 'x') + "\r\nNOOP\r\n";
  for (std::size_t step : {1U, 2U, 3U, 7U, 100U}) {
    LineFramer f(10);
    std::string buffer;
    std::vector<std::string> events;
    for (std::size_t pos = 0; pos < input.size(); pos += step) {
      buffer += input.substr(pos, step);
      while (true) {
        auto r = f.next(buffer);
        if (r.kind == LineFramer::Kind::Line) events.push_back("line " + std::string(r.line));
        if (r.kind == LineFramer::Kind::TooLong) events.push_back("too long");
        buffer.erase(0, r.consumed);
        if (r.kind == LineFramer::Kind::NeedMore) break;
      }
    }
    CHECK(events == std::vector<std::string>{"too long", "line NOOP"});
  }
}

TEST_CASE("data framer ends at CRLF dot CRLF and unstuffs", "[smtp][framer]") {
  auto out = run_data("a\r\n..b\r\n.c\r\n.\r\nNEXT");
  CHECK(out.done);
  CHECK(out.consumed == 15);
  CHECK(out.text == "a\r\n.b\r\nc\r\n");
  CHECK(run_data(".\r\n").text.empty());
  CHECK(run_data(".\r\n").done);
  CHECK(run_data("..\r\n.\r\n").text == ".\r\n");
}

TEST_CASE("data framer never ends at a bare LF or CR before the dot", "[smtp][framer][smuggling]") {
  // Each would end the message for a lax reader (SMTP smuggling, 2023).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x\n.\r\nMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\r\n.\nMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\n.\nMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\r.\r\nMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\r\n.\rMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\r.\rMAIL\r\n.\r\n", "x\r\n.\r\nMAIL\r\n"},
      {"x\r\n.\r\r\n.\r\n", "x\r\n.\r\n\r\n"},
      {"x\r\n\n.\r\n.\r\n", "x\r\n\r\n.\r\n"},
  };
  for (const auto& [input, text] : cases) {
    for (std::size_t step : {0U, 1U, 2U, 3U}) {
      INFO("input " << input.size() << " octets, step " << step);
      auto out = run_data(input, step);
      CHECK(out.done);
      CHECK(out.consumed == input.size());
      CHECK(out.text == text);
    }
  }
  CHECK_FALSE(run_data("x\n.\n").done);
  CHECK_FALSE(run_data("x\r\n.\n").done);
  CHECK_FALSE(run_data("x\n.\r\n").done);
}

TEST_CASE("data framer stores bare line ends as CRLF", "[smtp][framer]") {
  CHECK(run_data("a\nb\rc\r\r\n\n..d\n.\r\n").text == "a\r\nb\r\nc\r\n\r\n\r\n.d\r\n.\r\n");
  CHECK(run_data(std::string("nul \0 and \xff\r\n.\r\n", 16)).text == std::string("nul \0 and \xff\r\n", 13));
}

TEST_CASE("data framer gives the same message for every slicing", "[smtp][framer]") {
  std::string input;
  for (int i = 0; i < 200; ++i) {
    input += (i % 7 == 0 ? ".." : "") + std::string(static_cast<std::size_t>(i % 13), 'a') +
             (i % 11 == 0 ? "\n" : i % 17 == 0 ? "\r" : "\r\n");
  }
  input += ".\r\n";
  auto whole = run_data(input);
  REQUIRE(whole.done);
  for (std::size_t step : {1U, 2U, 5U, 64U}) {
    auto sliced = run_data(input, step);
    CHECK(sliced.done);
    CHECK(sliced.text == whole.text);
    CHECK(sliced.consumed == whole.consumed);
  }
}

TEST_CASE("data framer reads an oversize message to its end", "[smtp][framer]") {
  auto exact = run_data("abcd\r\n.\r\n", 0, 6);
  CHECK(exact.text == "abcd\r\n");
  CHECK_FALSE(exact.overflow);
  auto over = run_data("abcde\r\nmore\r\n.\r\nNEXT", 1, 6);
  CHECK(over.done);
  CHECK(over.overflow);
  CHECK(over.size == 13);
  CHECK(over.text.empty());
  CHECK(over.consumed == 16);
}

TEST_CASE("chunk framer takes exactly N octets", "[smtp][framer]") {
  ChunkFramer f;
  MessageBuffer buffer(100);
  f.start(5);
  auto r = f.feed("abc", &buffer);
  CHECK_FALSE(r.done);
  CHECK(r.consumed == 3);
  r = f.feed("de\r\nBDAT", &buffer);
  CHECK(r.done);
  CHECK(r.consumed == 2);
  CHECK(buffer.text() == "abcde");
  f.start(4);
  r = f.feed("wxyzQUIT", nullptr);  // a refused chunk is skipped, not stored
  CHECK(r.done);
  CHECK(r.consumed == 4);
  CHECK(buffer.text() == "abcde");
  f.start(0);
  CHECK(f.feed("", &buffer).done);
}

TEST_CASE("message buffer counts past its limit and drops what it stored", "[smtp][framer]") {
  MessageBuffer buffer(4);
  buffer.append("abcd");
  CHECK_FALSE(buffer.overflow());
  CHECK(buffer.text() == "abcd");
  buffer.append("e");
  CHECK(buffer.overflow());
  CHECK(buffer.size() == 5);
  CHECK(buffer.text().empty());
  buffer.append("fg");
  CHECK(buffer.size() == 7);
  buffer.reset(10);
  CHECK(buffer.size() == 0);
  CHECK_FALSE(buffer.overflow());
}

TEST_CASE("received headers are counted in the header block only", "[smtp][hops]") {
  CHECK(count_received_headers("Received: a\r\nreceived :b\r\n\tfolded\r\nRECEIVED:c\r\n"
                               "Subject: x\r\n\r\nReceived: body\r\n") == 3);
  CHECK(count_received_headers("Received-SPF: pass\r\nX-Received: y\r\n") == 0);
  CHECK(count_received_headers("\r\nReceived: after an empty line\r\n") == 0);
  CHECK(count_received_headers("Received: no line end") == 1);
  CHECK(count_received_headers("") == 0);
}

TEST_CASE("line ends are normalised to CRLF", "[smtp][framer]") {
  CHECK(normalize_line_ends("a\nb\rc\r\nd\r\r\n") == "a\r\nb\r\nc\r\nd\r\n\r\n");
  CHECK(normalize_line_ends("end\r") == "end\r\n");
  CHECK(normalize_line_ends("") == "");
}
