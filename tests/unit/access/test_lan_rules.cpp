// default_lan_rules with hand-made LanInfo: gateway denied first, loopback and
// directly connected networks allowed, everything else denied at the end.
#include <catch2/catch.hpp>

#include "libcore/access/evaluate.hpp"
#include "libcore/access/lan_rules.hpp"
#include "libcore/access/rule_text.hpp"

using namespace pillarbox::access;

namespace {
Network net(std::string_view text) { return *Network::parse(text); }
IpAddress ip(std::string_view text) { return *IpAddress::parse(text); }

LanInfo office() {
  LanInfo lan;
  lan.networks = {
      {"lo", net("127.0.0.0/8")},
      {"lo", net("::1")},
      {"eth0", net("192.168.1.0/24")},
      {"eth0", net("fd12:3456:789a:1::/64")},
      {"eth0", net("fe80::/64")},
      {"eth1", net("fe80::/64")},  // same link-local prefix on a second interface
  };
  lan.gateways = {ip("192.168.1.1"), ip("fe80::1"), ip("192.168.1.1"), ip("0.0.0.0")};
  return lan;
}
}  // namespace

TEST_CASE("lan rules: an office LAN with IPv6", "[access][lan]") {
  RuleSet rules = default_lan_rules(office());
  CHECK(format_rules(rules) ==
        "DENY 192.168.1.1 # gateway\n"
        "DENY fe80::1 # gateway\n"
        "ALLOW 127.0.0.0/8 # loopback\n"
        "ALLOW ::1 # loopback\n"
        "ALLOW 192.168.1.0/24 # network on eth0\n"
        "ALLOW fd12:3456:789a:1::/64 # network on eth0\n"
        "ALLOW fe80::/64 # network on eth0\n"
        "DENY any # everything else\n");
  CHECK_FALSE(rules.no_global);
  for (const auto& r : rules.rules) {
    CHECK_FALSE(r.no_auth);
    CHECK(r.users.empty());
  }
  CHECK(check_rules(rules, Service::Imap).ok());
}

TEST_CASE("lan rules: what they let in", "[access][lan]") {
  RuleSet rules = default_lan_rules(office());
  RuleSet none;
  const std::pair<const char*, bool> cases[] = {
      {"192.168.1.1", false},  // the router, although inside the LAN
      {"192.168.1.20", true},
      {"::ffff:192.168.1.20", true},
      {"192.168.2.20", false},
      {"127.0.0.1", true},
      {"127.9.9.9", true},
      {"::1", true},
      {"fd12:3456:789a:1::25", true},
      {"fd12:3456:789a:2::25", false},
      {"fe80::1", false},
      {"fe80::abcd", true},
      {"203.0.113.5", false},  // Internet hosts behind the router
      {"2001:db8::5", false},
  };
  for (const auto& [client, allowed] : cases) {
    DYNAMIC_SECTION(client) { CHECK(evaluate(rules, none, ip(client)).allowed == allowed); }
  }
}

TEST_CASE("lan rules: no interfaces still give loopback and the closing deny", "[access][lan]") {
  CHECK(format_rules(default_lan_rules(LanInfo{})) ==
        "ALLOW 127.0.0.0/8 # loopback\nALLOW ::1 # loopback\nDENY any # everything else\n");
}

TEST_CASE("lan rules: a zero-length interface prefix is not turned into allow all", "[access][lan]") {
  LanInfo lan;
  lan.networks = {{"tun0", net("0.0.0.0/0")}, {"odd", Network::any()}, {"eth0", net("10.1.0.0/16")}};
  CHECK(format_rules(default_lan_rules(lan)) ==
        "ALLOW 127.0.0.0/8 # loopback\nALLOW ::1 # loopback\nALLOW 10.1.0.0/16 # network on eth0\n"
        "DENY any # everything else\n");
}
