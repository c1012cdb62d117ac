// The node bridge payload: what crosses nodes, the round trip, and what a
// node refuses from the channel.
#include <catch2/catch.hpp>

#include "proto/bus/bridge.hpp"

using namespace pillarbox::bus;

TEST_CASE("bridge: only the cross-node topics cross", "[bus][bridge]") {
  CHECK(crosses_nodes("mailbox.changed"));
  CHECK(crosses_nodes("queue.ready"));
  CHECK(crosses_nodes("collect.now"));
  CHECK_FALSE(crosses_nodes("config.changed"));
  CHECK_FALSE(crosses_nodes("heartbeat"));
  CHECK_FALSE(crosses_nodes("shutdown"));
  CHECK_FALSE(crosses_nodes("activity"));
}

TEST_CASE("bridge: a payload round-trips", "[bus][bridge]") {
  BridgedEvent e{"node-a", "mailbox.changed", {{"mailbox", 42}, {"account", "joe"}}};
  auto text = bridge_payload(e);
  REQUIRE(text);
  auto back = read_bridge_payload(*text);
  REQUIRE(back);
  CHECK(back->node == "node-a");
  CHECK(back->topic == "mailbox.changed");
  CHECK(back->data == e.data);
}

TEST_CASE("bridge: oversized events stay on their node", "[bus][bridge]") {
  BridgedEvent e{"n", "queue.ready", {{"pad", std::string(kMaxBridgePayload, 'x')}}};
  CHECK_FALSE(bridge_payload(e));
}

TEST_CASE("bridge: bad payloads are refused with a reason", "[bus][bridge]") {
  auto why = [](std::string_view p) {
    auto r = read_bridge_payload(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == pillarbox::ErrorCode::InvalidInput);
    return r.error().message;
  };
  CHECK(why("not json") == "bridge payload: not a JSON object");
  CHECK(why(R"({"topic":"queue.ready","data":{}})") == "bridge payload: no node");
  CHECK(why(R"({"node":"","topic":"queue.ready","data":{}})") == "bridge payload: no node");
  CHECK(why(R"({"node":"a","data":{}})") == "bridge payload: no topic");
  CHECK(why(R"({"node":"a","topic":"shutdown","data":{}})") == "bridge payload: topic 'shutdown' stays on its node");
  CHECK(why(R"({"node":"a","topic":"queue.ready","data":[1]})") == "bridge payload: data is not an object");
}
