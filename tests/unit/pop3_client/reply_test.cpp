// Status lines, continuations and the multi-line response reader of the POP3
// client (proto/pop3/client_reply.hpp).
#include <catch2/catch.hpp>

#include "proto/pop3/client_reply.hpp"

using namespace pillarbox::pop3::client;

namespace {

using Shape = ResponseReader::Shape;
using Kind = ResponseReader::Kind;

// Feeds `input` in slices of `step` octets (0: whole) the way the session
// does, keeping what was not consumed; returns the first non-NeedMore result
// and what is left.
std::pair<ResponseReader::Result, std::string> read(ResponseReader& reader, std::string_view input,
                                                    std::size_t step = 0) {
  std::string buffer;
  std::size_t fed = 0;
  while (true) {
    if (fed < input.size()) {
      std::size_t n = step == 0 ? input.size() - fed : std::min(step, input.size() - fed);
      buffer.append(input.substr(fed, n));
      fed += n;
    }
    auto r = reader.next(buffer);
    buffer.erase(0, r.consumed);
    if (r.kind != Kind::NeedMore) return {r, buffer + std::string(input.substr(fed))};
    if (fed == input.size()) return {r, buffer};
  }
}

}  // namespace

TEST_CASE("pop3_client reply: status lines", "[pop3_client][reply]") {
  auto ok = parse_status_line("+OK 2 320");
  REQUIRE(ok);
  CHECK(ok->ok);
  CHECK(ok->code.empty());
  CHECK(ok->text == "2 320");

  auto bare = parse_status_line("+OK");
  REQUIRE(bare);
  CHECK(bare->ok);
  CHECK(bare->text.empty());

  auto err = parse_status_line("-ERR [IN-USE] Mailbox locked");
  REQUIRE(err);
  CHECK_FALSE(err->ok);
  CHECK(err->code == "IN-USE");
  CHECK(err->text == "Mailbox locked");
  CHECK(err->has_code("IN-USE"));

  auto lower = parse_status_line("-err [sys/temp] later");
  REQUIRE(lower);
  CHECK_FALSE(lower->ok);
  CHECK(lower->code == "SYS/TEMP");
  CHECK(lower->text == "later");

  auto only_code = parse_status_line("-ERR [AUTH]");
  REQUIRE(only_code);
  CHECK(only_code->code == "AUTH");
  CHECK(only_code->text.empty());

  // Not response codes: stay in the text.
  CHECK(parse_status_line("-ERR [not a code] x")->text == "[not a code] x");
  CHECK(parse_status_line("-ERR [SYS//TEMP] x")->code.empty());
  CHECK(parse_status_line("-ERR [] x")->text == "[] x");
  CHECK(parse_status_line("-ERR [unclosed")->text == "[unclosed");

  // Control octets become spaces.
  CHECK(parse_status_line("+OK a\tb\x01" "c")->text == "a b c");

  CHECK_FALSE(parse_status_line("+OKAY"));
  CHECK_FALSE(parse_status_line("-ERROR x"));
  CHECK_FALSE(parse_status_line("OK"));
  CHECK_FALSE(parse_status_line(""));
  CHECK_FALSE(parse_status_line("+ abc"));
}

TEST_CASE("pop3_client reply: continuations and formatting", "[pop3_client][reply]") {
  CHECK(parse_continuation("+ PDE4OT4=") == std::optional<std::string>("PDE4OT4="));
  CHECK(parse_continuation("+") == std::optional<std::string>(""));
  CHECK(parse_continuation("+ ") == std::optional<std::string>(""));
  CHECK_FALSE(parse_continuation("+OK"));
  CHECK_FALSE(parse_continuation("-ERR"));

  CHECK(format_reply(Reply{true, {}, {}}) == "+OK");
  CHECK(format_reply(Reply{false, "IN-USE", "locked"}) == "-ERR [IN-USE] locked");
  CHECK(format_reply(Reply{false, "AUTH", {}}) == "-ERR [AUTH]");
}

TEST_CASE("pop3_client reply: multi-line body, unstuffed, in any slicing", "[pop3_client][reply]") {
  const std::string wire =
      "+OK 5 lines\r\nSubject: x\r\n\r\n..\r\n...two\r\nbare lf\nend\r\n.\r\n+OK next\r\n";
  const std::string body = "Subject: x\r\n\r\n.\r\n..two\r\nbare lf\r\nend\r\n";
  for (std::size_t step : {0, 1, 2, 3, 7, 13}) {
    ResponseReader reader;
    reader.expect(Shape::Multi, 1000);
    auto [r, rest] = read(reader, wire, step);
    INFO("step " << step);
    REQUIRE(r.kind == Kind::Response);
    CHECK(r.reply.ok);
    CHECK(r.reply.text == "5 lines");
    CHECK(r.body == body);
    CHECK(rest == "+OK next\r\n");
    CHECK_FALSE(reader.in_body());
  }
}

TEST_CASE("pop3_client reply: empty body and -ERR to a multi-line command", "[pop3_client][reply]") {
  ResponseReader reader;
  reader.expect(Shape::Multi, 10);
  auto [empty, rest] = read(reader, "+OK\r\n.\r\n");
  REQUIRE(empty.kind == Kind::Response);
  CHECK(empty.body.empty());
  CHECK(rest.empty());

  reader.expect(Shape::Multi, 10);
  auto [err, rest2] = read(reader, "-ERR no such message\r\nX");
  REQUIRE(err.kind == Kind::Response);
  CHECK_FALSE(err.reply.ok);
  CHECK(err.body.empty());
  CHECK(rest2 == "X");  // a -ERR has no body
}

TEST_CASE("pop3_client reply: terminator forms", "[pop3_client][reply]") {
  for (std::string_view end : {".\r\n", ".\n"}) {
    ResponseReader reader;
    reader.expect(Shape::Multi, 100);
    auto [r, rest] = read(reader, std::string("+OK\r\na\r\n") + std::string(end) + "tail", 1);
    REQUIRE(r.kind == Kind::Response);
    CHECK(r.body == "a\r\n");
    CHECK(rest == "tail");
  }
  // ".\r" followed by more is not the end: the CR is data.
  ResponseReader reader;
  reader.expect(Shape::Multi, 100);
  auto [r, rest] = read(reader, "+OK\r\n.\rx\r\n.\r\n", 1);
  REQUIRE(r.kind == Kind::Response);
  CHECK(r.body == ".\rx\r\n");
}

TEST_CASE("pop3_client reply: size limit on the body", "[pop3_client][reply]") {
  for (std::size_t step : {0, 1, 7}) {
    ResponseReader reader;
    reader.expect(Shape::Multi, 10);
    auto [r, rest] = read(reader, "+OK\r\n0123456789\r\n.\r\n", step);
    INFO("step " << step);
    CHECK(r.kind == Kind::TooBig);
    CHECK(r.error == "larger than 10 octets");
  }
  // Exactly at the limit is fine (counted with CRLF).
  ResponseReader reader;
  reader.expect(Shape::Multi, 10);
  auto [r, rest] = read(reader, "+OK\r\n01234567\r\n.\r\n");
  CHECK(r.kind == Kind::Response);
  CHECK(r.body.size() == 10);
}

TEST_CASE("pop3_client reply: body lines have no length limit of their own", "[pop3_client][reply]") {
  ResponseReader reader(16);
  reader.expect(Shape::Multi, 100000);
  std::string line(50000, 'x');
  auto [r, rest] = read(reader, "+OK\r\n" + line + "\r\n.\r\n", 4096);
  REQUIRE(r.kind == Kind::Response);
  CHECK(r.body == line + "\r\n");
}

TEST_CASE("pop3_client reply: errors", "[pop3_client][reply]") {
  ResponseReader reader(16);
  reader.expect(Shape::Single);
  auto [garbage, rest] = read(reader, "* OK IMAP ready\r\n");
  CHECK(garbage.kind == Kind::Error);
  CHECK(garbage.error == "not a POP3 status line: \"* OK IMAP ready\"");

  ResponseReader small(16);
  small.expect(Shape::Single);
  auto [long_line, rest2] = read(small, "+OK 0123456789012345678901234567890\r\n", 1);
  CHECK(long_line.kind == Kind::Error);
  CHECK(long_line.error == "status line longer than 16 octets");

  // A continuation only where an AUTH exchange expects one.
  ResponseReader single;
  single.expect(Shape::Single);
  CHECK(read(single, "+ abc\r\n").first.kind == Kind::Error);
  ResponseReader sasl;
  sasl.expect(Shape::Sasl);
  auto [cont, rest3] = read(sasl, "+ abc\r\n");
  REQUIRE(cont.kind == Kind::Response);
  CHECK(cont.continuation);
  CHECK(cont.challenge == "abc");
  sasl.expect(Shape::Sasl);
  auto [done, rest4] = read(sasl, "+OK\r\n");
  REQUIRE(done.kind == Kind::Response);
  CHECK_FALSE(done.continuation);
  CHECK(done.reply.ok);
}

TEST_CASE("pop3_client reply: reset forgets a partial body", "[pop3_client][reply]") {
  ResponseReader reader;
  reader.expect(Shape::Multi, 100);
  auto [partial, rest] = read(reader, "+OK\r\nhalf");
  CHECK(partial.kind == Kind::NeedMore);
  CHECK(reader.in_body());
  CHECK(reader.body_size() == 4);
  reader.reset();
  CHECK_FALSE(reader.in_body());
  reader.expect(Shape::Single);
  auto [r, rest2] = read(reader, "+OK fresh\r\n");
  REQUIRE(r.kind == Kind::Response);
  CHECK(r.reply.text == "fresh");
}
