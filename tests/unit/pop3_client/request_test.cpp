// STAT / LIST / UIDL parsing and the transient test of the POP3 client
// (proto/pop3/client_request.hpp).
#include <catch2/catch.hpp>

#include "proto/pop3/client_request.hpp"

using namespace pillarbox::pop3::client;

TEST_CASE("pop3_client request: STAT", "[pop3_client][request]") {
  auto s = parse_stat(Reply{true, {}, "2 320"});
  REQUIRE(s);
  CHECK(s->first == 2);
  CHECK(s->second == 320);
  auto extra = parse_stat(Reply{true, {}, "3 1000 messages"});
  REQUIRE(extra);
  CHECK(extra->second == 1000);
  CHECK_FALSE(parse_stat(Reply{true, {}, ""}));
  CHECK_FALSE(parse_stat(Reply{true, {}, "2"}));
  CHECK_FALSE(parse_stat(Reply{true, {}, "two 320"}));
  CHECK_FALSE(parse_stat(Reply{true, {}, "2 99999999999999999999"}));
}

TEST_CASE("pop3_client request: LIST", "[pop3_client][request]") {
  auto l = parse_list("1 120\r\n2 200 more\r\n3 0  \r\n", 100);
  REQUIRE(l);
  REQUIRE(l->size() == 3);
  CHECK((*l)[1].msg == 2);
  CHECK((*l)[1].size == 200);
  CHECK((*l)[2].size == 0);
  CHECK(parse_list("", 100)->empty());

  auto bad = parse_list("1 120\r\nx 2\r\n", 100);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "malformed LIST line \"x 2\"");
  CHECK_FALSE(parse_list("0 12\r\n", 100));
  CHECK_FALSE(parse_list("1\r\n", 100));
  auto long_line = parse_list("1 " + std::string(200, '1') + "\r\n", 100);
  REQUIRE_FALSE(long_line);
  CHECK(long_line.error().message == "listing line longer than 100 octets");
}

TEST_CASE("pop3_client request: UIDL", "[pop3_client][request]") {
  auto u = parse_uidl("1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\t\r\n", 100);
  REQUIRE(u);
  REQUIRE(u->size() == 2);
  CHECK((*u)[0].uid == "whqtswO00WBw418f9t5JxYwZ");
  CHECK((*u)[1].msg == 2);
  CHECK((*u)[1].uid == "QhdPYR:00WBw1Ph7x7");

  CHECK_FALSE(parse_uidl("1\r\n", 100));
  CHECK_FALSE(parse_uidl("1 two words\r\n", 100));
  CHECK_FALSE(parse_uidl("1 caf\xC3\xA9\r\n", 100));
  CHECK_FALSE(parse_uidl("0 abc\r\n", 100));
  CHECK(parse_uidl("1 " + std::string(255, 'u') + "\r\n", 1000));
  CHECK_FALSE(parse_uidl("1 " + std::string(256, 'u') + "\r\n", 1000));
}

TEST_CASE("pop3_client request: transient failures", "[pop3_client][request]") {
  auto result = [](Request::Kind kind, Outcome outcome, Reply reply) {
    Result r;
    r.kind = kind;
    r.outcome = outcome;
    r.reply = std::move(reply);
    r.remote = outcome == Outcome::Refused;
    return r;
  };
  using K = Request::Kind;
  CHECK(is_transient(result(K::Login, Outcome::Refused, {false, "IN-USE", "locked"})));
  CHECK(is_transient(result(K::Login, Outcome::Refused, {false, "LOGIN-DELAY", "wait"})));
  CHECK(is_transient(result(K::Login, Outcome::Refused, {false, "SYS/TEMP", "later"})));
  CHECK_FALSE(is_transient(result(K::Login, Outcome::Refused, {false, "AUTH", "bad password"})));
  CHECK_FALSE(is_transient(result(K::Login, Outcome::Refused, {false, "SYS/PERM", "gone"})));
  CHECK_FALSE(is_transient(result(K::Login, Outcome::Refused, {false, {}, "invalid login"})));
  CHECK(is_transient(result(K::Retr, Outcome::Refused, {false, {}, "no such message"})));
  CHECK(is_transient(result(K::Dele, Outcome::Refused, {false, {}, "no such message"})));
  CHECK(is_transient(result(K::Retr, Outcome::Timeout, {false, {}, "timed out"})));
  CHECK(is_transient(result(K::Quit, Outcome::ConnectionLost, {false, {}, "lost"})));
  CHECK_FALSE(is_transient(result(K::Uidl, Outcome::Unsupported, {false, {}, "no UIDL"})));
  CHECK_FALSE(is_transient(result(K::Retr, Outcome::TooBig, {false, {}, "too big"})));
  CHECK_FALSE(is_transient(result(K::Retr, Outcome::ProtocolError, {false, {}, "garbage"})));
  CHECK_FALSE(is_transient(result(K::Stat, Outcome::Ok, {true, {}, "1 2"})));
}

TEST_CASE("pop3_client request: names", "[pop3_client][request]") {
  CHECK(to_string(Outcome::ConnectionLost) == "connection-lost");
  CHECK(to_string(Outcome::NotRun) == "not-run");
  CHECK(to_string(Request::Kind::Top) == "top");
  Request top = Request::top(4, 0);
  CHECK(top.kind == Request::Kind::Top);
  CHECK(top.msg == 4);
  CHECK(top.lines == 0);
  Request env = Request::raw("*ENV 4", true);
  CHECK(env.command == "*ENV 4");
  CHECK(env.multiline);
}
