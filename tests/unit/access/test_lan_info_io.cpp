// read_lan_info on this machine: it must find the loopback network, and the
// default rules built from it must let loopback in and end with DENY any.
// Labelled io: the result depends on the host's interfaces.
#include <catch2/catch.hpp>

#include "libcore/access/evaluate.hpp"
#include "libcore/access/lan_info.hpp"
#include "libcore/access/rule_text.hpp"

using namespace pillarbox::access;

TEST_CASE("lan info: this host's interfaces and routes", "[access][io]") {
  auto lan = read_lan_info();
  INFO((lan.ok() ? std::string() : lan.error().describe()));
  REQUIRE(lan.ok());
  bool loopback = false;
  for (const auto& in : lan->networks) {
    CHECK(!in.name.empty());
    CHECK_FALSE(in.network.is_any());
    if (in.network == *Network::parse("127.0.0.0/8")) loopback = true;
  }
  INFO("interfaces found: " << lan->networks.size() << " (no 127.0.0.0/8: is the loopback interface down?)");
  CHECK(loopback);
  for (const auto& gateway : lan->gateways) CHECK_FALSE(gateway.unspecified());

  RuleSet rules = default_lan_rules(*lan);
  INFO(format_rules(rules));
  REQUIRE_FALSE(rules.rules.empty());
  CHECK(rules.rules.back().network.is_any());
  CHECK(rules.rules.back().action == Action::Deny);
  RuleSet none;
  CHECK(evaluate(rules, none, *IpAddress::parse("127.0.0.1")).allowed);
  CHECK(evaluate(rules, none, *IpAddress::parse("::1")).allowed);
  for (const auto& gateway : lan->gateways) CHECK_FALSE(evaluate(rules, none, gateway).allowed);
}
