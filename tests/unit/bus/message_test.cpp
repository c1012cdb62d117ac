// Unit tests for proto/bus/message: wire field names, validation of every
// field of every op, and the exact error texts.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "proto/bus/message.hpp"

using namespace pillarbox;
using namespace pillarbox::bus;
using nlohmann::json;

namespace {

Message hello() {
  Message m;
  m.op = Op::Hello;
  m.name = "smtpd";
  m.pid = 1234;
  return m;
}

Message subscription(Op op) {
  Message m;
  m.op = op;
  m.topics = {"config.changed", "mailbox.*", "*"};
  return m;
}

Message publish() {
  Message m;
  m.op = Op::Publish;
  m.topic = "mailbox.changed";
  m.from = "smtpd[12]";
  m.data = {{"mailbox", 42}, {"user", "ann\xc3\xa9"}, {"uids", {1, 2, 3}}};
  return m;
}

// The error message to_message() gives for `text`, or "" when it succeeds.
std::string rejection(const std::string& text) {
  auto m = to_message(json::parse(text));
  if (m) return "";
  CHECK(m.error().code == ErrorCode::InvalidInput);
  return m.error().message;
}

}  // namespace

TEST_CASE("to_json uses the wire field names", "[bus][message]") {
  CHECK(to_json(hello()) == json::parse(R"({"op":"hello","name":"smtpd","pid":1234})"));
  CHECK(to_json(subscription(Op::Subscribe)) ==
        json::parse(R"({"op":"subscribe","topics":["config.changed","mailbox.*","*"]})"));
  CHECK(to_json(subscription(Op::Unsubscribe)) ==
        json::parse(R"({"op":"unsubscribe","topics":["config.changed","mailbox.*","*"]})"));
  CHECK(to_json(publish()) == json::parse(R"({"op":"publish","topic":"mailbox.changed",
        "from":"smtpd[12]","data":{"mailbox":42,"user":"ann\u00e9","uids":[1,2,3]}})"));

  Message p;
  p.topic = "queue.ready";
  CHECK(to_json(p) == json::parse(R"({"op":"publish","topic":"queue.ready","data":{}})"));
}

TEST_CASE("to_message inverts to_json for every op", "[bus][message]") {
  for (const Message& m : {hello(), subscription(Op::Subscribe), subscription(Op::Unsubscribe),
                           publish()}) {
    CAPTURE(to_json(m).dump());
    auto back = to_message(to_json(m));
    REQUIRE(back);
    CHECK(*back == m);
  }
}

TEST_CASE("to_string names every op", "[bus][message]") {
  CHECK(to_string(Op::Hello) == "hello");
  CHECK(to_string(Op::Subscribe) == "subscribe");
  CHECK(to_string(Op::Unsubscribe) == "unsubscribe");
  CHECK(to_string(Op::Publish) == "publish");
}

TEST_CASE("optional and unknown fields", "[bus][message]") {
  SECTION("publish without from or data") {
    auto m = to_message(json::parse(R"({"op":"publish","topic":"heartbeat"})"));
    REQUIRE(m);
    CHECK(m->from.empty());
    CHECK(m->data == json::object());
  }
  SECTION("unknown fields and fields of other ops are ignored") {
    auto m = to_message(json::parse(
        R"({"op":"hello","name":"imapd","pid":7,"topic":"x","version":2,"data":[]})"));
    REQUIRE(m);
    CHECK(*m == [] {
      Message e;
      e.op = Op::Hello;
      e.name = "imapd";
      e.pid = 7;
      return e;
    }());
  }
  SECTION("pid built in code as a signed integer") {
    auto m = to_message(json{{"op", "hello"}, {"name", "m"}, {"pid", 1}});
    REQUIRE(m);
    CHECK(m->pid == 1);
  }
}

TEST_CASE("missing fields are rejected", "[bus][message]") {
  CHECK(rejection(R"({})") == R"(bus message: missing field "op")");
  CHECK(rejection(R"({"op":"hello","pid":1})") == R"(bus message: missing field "name")");
  CHECK(rejection(R"({"op":"hello","name":"smtpd"})") == R"(bus message: missing field "pid")");
  CHECK(rejection(R"({"op":"subscribe"})") == R"(bus message: missing field "topics")");
  CHECK(rejection(R"({"op":"unsubscribe"})") == R"(bus message: missing field "topics")");
  CHECK(rejection(R"({"op":"publish","data":{}})") == R"(bus message: missing field "topic")");
}

TEST_CASE("fields of the wrong type are rejected", "[bus][message]") {
  const std::pair<const char*, const char*> table[] = {
      {R"([1,2])", R"(bus message: not a JSON object)"},
      {R"("hello")", R"(bus message: not a JSON object)"},
      {R"(null)", R"(bus message: not a JSON object)"},
      {R"({"op":1})", R"(bus message: field "op" must be a string)"},
      {R"({"op":null})", R"(bus message: field "op" must be a string)"},
      {R"({"op":"hello","name":5,"pid":1})", R"(bus message: field "name" must be a string)"},
      {R"({"op":"hello","name":"a","pid":"1"})", R"(bus message: field "pid" must be an integer)"},
      {R"({"op":"hello","name":"a","pid":1.0})", R"(bus message: field "pid" must be an integer)"},
      {R"({"op":"hello","name":"a","pid":true})", R"(bus message: field "pid" must be an integer)"},
      {R"({"op":"subscribe","topics":"heartbeat"})",
       R"(bus message: field "topics" must be an array of strings)"},
      {R"({"op":"subscribe","topics":{"a":1}})",
       R"(bus message: field "topics" must be an array of strings)"},
      {R"({"op":"unsubscribe","topics":["heartbeat",3]})",
       R"(bus message: field "topics" must be an array of strings)"},
      {R"({"op":"publish","topic":["a"]})", R"(bus message: field "topic" must be a string)"},
      {R"({"op":"publish","topic":"a","from":7})", R"(bus message: field "from" must be a string)"},
      {R"({"op":"publish","topic":"a","data":[1]})",
       R"(bus message: field "data" must be an object)"},
      {R"({"op":"publish","topic":"a","data":"x"})",
       R"(bus message: field "data" must be an object)"},
      {R"({"op":"publish","topic":"a","data":null})",
       R"(bus message: field "data" must be an object)"},
  };
  for (const auto& [text, message] : table) {
    CAPTURE(text);
    CHECK(rejection(text) == message);
  }
}

TEST_CASE("invalid values are rejected", "[bus][message]") {
  const std::pair<const char*, const char*> table[] = {
      {R"({"op":"HELLO"})", R"(bus message: unknown op "HELLO")"},
      {R"({"op":""})", R"(bus message: unknown op "")"},
      {R"({"op":"hello","name":"","pid":1})", R"(bus message: invalid name "")"},
      {R"({"op":"hello","name":"smtp d","pid":1})", R"(bus message: invalid name "smtp d")"},
      {R"({"op":"hello","name":"x[1]","pid":1})", R"(bus message: invalid name "x[1]")"},
      {R"({"op":"hello","name":"a","pid":0})", R"(bus message: field "pid" out of range)"},
      {R"({"op":"hello","name":"a","pid":-5})", R"(bus message: field "pid" out of range)"},
      {R"({"op":"hello","name":"a","pid":2147483648})", R"(bus message: field "pid" out of range)"},
      {R"({"op":"hello","name":"a","pid":18446744073709551615})",
       R"(bus message: field "pid" out of range)"},
      {R"({"op":"subscribe","topics":[]})", R"(bus message: field "topics" must not be empty)"},
      {R"({"op":"subscribe","topics":["ok","Bad"]})", R"(bus message: invalid topic pattern "Bad")"},
      {R"({"op":"unsubscribe","topics":["a.*.b"]})",
       R"(bus message: invalid topic pattern "a.*.b")"},
      {R"({"op":"publish","topic":""})", R"(bus message: invalid topic "")"},
      {R"({"op":"publish","topic":"*"})", R"(bus message: invalid topic "*")"},
      {R"({"op":"publish","topic":"mailbox.*"})", R"(bus message: invalid topic "mailbox.*")"},
      {R"({"op":"publish","topic":".a"})", R"(bus message: invalid topic ".a")"},
  };
  for (const auto& [text, message] : table) {
    CAPTURE(text);
    CHECK(rejection(text) == message);
  }
  CHECK(rejection(R"({"op":"hello","name":"a","pid":2147483647})").empty());
}

TEST_CASE("values quoted in errors are short and printable", "[bus][message]") {
  json j = {{"op", "publish"}, {"topic", std::string(200, 'x') + "\n"}};
  CHECK(rejection(j.dump()) == "bus message: invalid topic \"" + std::string(64, 'x') + "...\"");
  j["topic"] = "a\tb\xc3\xa9";
  CHECK(rejection(j.dump()) == "bus message: invalid topic \"a?b??\"");
}
