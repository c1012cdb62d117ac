// Unit tests of the client's reply parser (proto/smtp/client_reply_parser.hpp):
// single and multi-line replies, any slicing, bare LF, enhanced codes,
// garbage and the limits; format_reply.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/smtp/client_reply_parser.hpp"

using namespace pillarbox::smtp;
using namespace pillarbox::smtp::client;

namespace {

struct Parsed {
  std::vector<Reply> replies;
  std::string error;
  std::size_t left = 0;  // octets not consumed at the end
};

// Feeds `input` in slices of `step` octets (0 = whole), keeping what the
// parser did not consume, as the session does.
Parsed parse_all(const std::string& input, std::size_t step = 0, std::size_t max_line = 4096,
                 std::size_t max_lines = 100) {
  ReplyParser parser(max_line, max_lines);
  Parsed out;
  std::string buffer;
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t n = step == 0 ? input.size() - pos : std::min(step, input.size() - pos);
    buffer.append(input, pos, n);
    pos += n;
    while (!buffer.empty()) {
      auto r = parser.next(buffer);
      buffer.erase(0, r.consumed);
      if (r.kind == ReplyParser::Kind::NeedMore) break;
      if (r.kind == ReplyParser::Kind::Error) {
        out.error = r.error;
        return out;
      }
      out.replies.push_back(r.reply);
    }
  }
  out.left = buffer.size();
  return out;
}

}  // namespace

TEST_CASE("smtp_client: reply parser: single-line replies with and without enhanced codes", "[smtp_client][reply]") {
  auto p = parse_all("250 2.1.0 Ok\r\n550 No such user\r\n354\r\n");
  REQUIRE(p.error.empty());
  REQUIRE(p.replies.size() == 3);
  CHECK(p.replies[0] == Reply{250, "2.1.0", "Ok"});
  CHECK(p.replies[1] == Reply{550, "", "No such user"});
  CHECK(p.replies[2] == Reply{354, "", ""});
}

TEST_CASE("smtp_client: reply parser: multi-line replies and every slicing", "[smtp_client][reply]") {
  const std::string input =
      "250-mx.example.net Hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n"
      "550-5.1.1 first\r\n550-5.1.1 second\r\n550 5.1.1 third\r\n";
  for (std::size_t step : {0, 1, 2, 3, 5, 7, 13}) {
    auto p = parse_all(input, step);
    INFO("step " << step);
    REQUIRE(p.error.empty());
    REQUIRE(p.replies.size() == 2);
    CHECK(p.replies[0] == Reply{250, "", "mx.example.net Hello\nPIPELINING\nSIZE 1000"});
    CHECK(p.replies[1] == Reply{550, "5.1.1", "first\nsecond\nthird"});
    CHECK(p.left == 0);
  }
}

TEST_CASE("smtp_client: reply parser: bare LF and a partial reply", "[smtp_client][reply]") {
  auto p = parse_all("220-a\n220 b\n250 2.0.0 ok\r\n250-more");
  REQUIRE(p.error.empty());
  REQUIRE(p.replies.size() == 2);
  CHECK(p.replies[0] == Reply{220, "", "a\nb"});
  CHECK(p.replies[1] == Reply{250, "2.0.0", "ok"});
  CHECK(p.left == 8);  // "250-more" awaits its line end
}

TEST_CASE("smtp_client: reply parser: enhanced code only with a matching class", "[smtp_client][reply]") {
  auto p = parse_all("250 5.1.1 odd\r\n451 4.3.0\r\n250 1.2.3.4 hello\r\n334 1.2.3\r\n");
  REQUIRE(p.replies.size() == 4);
  CHECK(p.replies[0] == Reply{250, "", "5.1.1 odd"});  // class 5 on a 2yz reply: text
  CHECK(p.replies[1] == Reply{451, "4.3.0", ""});
  CHECK(p.replies[2] == Reply{250, "", "1.2.3.4 hello"});
  CHECK(p.replies[3] == Reply{334, "", "1.2.3"});  // no enhanced codes on 3yz
}

TEST_CASE("smtp_client: reply parser: a line without the first line's enhanced code keeps its text", "[smtp_client][reply]") {
  auto p = parse_all("550-5.7.1 Blocked\r\n550 see https://example.net\r\n");
  REQUIRE(p.replies.size() == 1);
  CHECK(p.replies[0] == Reply{550, "5.7.1", "Blocked\nsee https://example.net"});
}

TEST_CASE("smtp_client: reply parser: control octets in the text become spaces", "[smtp_client][reply]") {
  auto p = parse_all(std::string("250 a\tb\0c\x7f" "d\r\n", 13));
  REQUIRE(p.replies.size() == 1);
  CHECK(p.replies[0].text == "a b c d");
}

TEST_CASE("smtp_client: reply parser: garbage is an error saying what was wrong", "[smtp_client][reply]") {
  CHECK(parse_all("HTTP/1.1 400 Bad Request\r\n").error == "malformed reply line \"HTTP/1.1 400 Bad Request\"");
  CHECK(parse_all("25\r\n").error == "malformed reply line \"25\"");
  CHECK(parse_all("250x\r\n").error == "malformed reply line \"250x\"");
  CHECK(parse_all("\r\n").error == "malformed reply line \"\"");
  CHECK(parse_all("199 too low\r\n").error == "reply code 199 out of range");
  CHECK(parse_all("600 too high\r\n").error == "reply code 600 out of range");
  CHECK(parse_all("250-a\r\n251 b\r\n").error == "reply code changed from 250 to 251 within a multi-line reply");
  CHECK(parse_all(std::string(50, 'x') + "\r\n").error ==
        "malformed reply line \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"");
}

TEST_CASE("smtp_client: reply parser: line and line-count limits", "[smtp_client][reply]") {
  std::string long_line = "250 " + std::string(30, 'a') + "\r\n";
  CHECK(parse_all(long_line, 0, 34).error.empty());
  CHECK(parse_all(long_line, 0, 33).error == "reply line longer than 33 octets");
  CHECK(parse_all(long_line, 1, 33).error == "reply line longer than 33 octets");
  CHECK(parse_all("250-a\r\n250-b\r\n250 c\r\n", 0, 4096, 3).error.empty());
  CHECK(parse_all("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", 0, 4096, 3).error == "reply longer than 3 lines");
  // A line exactly at the limit whose CR and LF arrive separately is not too long.
  CHECK(parse_all("250 " + std::string(29, 'a') + "\r\n", 1, 33).error.empty());
}

TEST_CASE("smtp_client: reply parser: reset forgets a partial multi-line reply", "[smtp_client][reply]") {
  ReplyParser parser;
  auto r = parser.next("250-first\r\n");
  CHECK(r.kind == ReplyParser::Kind::NeedMore);
  CHECK(r.consumed == 11);
  parser.reset();
  r = parser.next("220 fresh\r\n");
  REQUIRE(r.kind == ReplyParser::Kind::Reply);
  CHECK(r.reply == Reply{220, "", "fresh"});
}

TEST_CASE("smtp_client: format_reply gives the wire form without CRs", "[smtp_client][reply]") {
  CHECK(format_reply({250, "2.0.0", "Ok"}) == "250 2.0.0 Ok");
  CHECK(format_reply({550, "", "No such user"}) == "550 No such user");
  CHECK(format_reply({354, "", ""}) == "354");
  CHECK(format_reply({451, "4.3.0", ""}) == "451 4.3.0");
  CHECK(format_reply({250, "", "a\nb\nc"}) == "250-a\n250-b\n250 c");
  CHECK(format_reply({550, "5.7.1", "x\ny"}) == "550-5.7.1 x\n550 5.7.1 y");
  CHECK(format_reply({250, "", "\nlast"}) == "250-\n250 last");
}

TEST_CASE("smtp_client: is_enhanced_code follows RFC 3463", "[smtp_client][reply]") {
  CHECK(is_enhanced_code("2.0.0"));
  CHECK(is_enhanced_code("5.123.999"));
  CHECK_FALSE(is_enhanced_code("25.0.0"));
  CHECK_FALSE(is_enhanced_code("2.0"));
  CHECK_FALSE(is_enhanced_code("2.0.0."));
  CHECK_FALSE(is_enhanced_code("2.1234.0"));
  CHECK_FALSE(is_enhanced_code(""));
}
