// Network: "any", hosts and CIDR subnets of both families; clear errors for
// out-of-range prefixes and host bits; legacy address/mask pairs; contains().
#include <catch2/catch.hpp>

#include "libcore/access/network.hpp"

using pillarbox::access::IpAddress;
using pillarbox::access::Network;

namespace {
std::string problem(std::string_view text) {
  auto r = Network::parse(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == pillarbox::ErrorCode::InvalidInput);
  return r.error().message;
}
IpAddress ip(std::string_view text) { return *IpAddress::parse(text); }
}  // namespace

TEST_CASE("network: accepted forms and their canonical text", "[access][network]") {
  const std::pair<const char*, const char*> cases[] = {
      {"any", "any"},
      {"ANY", "any"},
      {"*", "any"},
      {"192.168.1.7", "192.168.1.7"},
      {"192.168.1.7/32", "192.168.1.7"},
      {"192.168.1.0/24", "192.168.1.0/24"},
      {"10.0.0.0/8", "10.0.0.0/8"},
      {"0.0.0.0/0", "0.0.0.0/0"},
      {"10.128.0.0/9", "10.128.0.0/9"},
      {"::1", "::1"},
      {"::1/128", "::1"},
      {"2001:db8::/32", "2001:db8::/32"},
      {"2001:DB8:0::/48", "2001:db8::/48"},
      {"fd00::/8", "fd00::/8"},
      {"::/0", "::/0"},
      {"::ffff:10.0.0.0/104", "10.0.0.0/8"},
      {"::ffff:192.0.2.1", "192.0.2.1"},
  };
  for (const auto& [in, text] : cases) {
    DYNAMIC_SECTION(in) {
      auto n = Network::parse(in);
      REQUIRE(n.ok());
      CHECK(n->text() == text);
      CHECK(*Network::parse(n->text()) == *n);
    }
  }
  CHECK(Network::parse("any")->is_any());
  CHECK(Network::parse("192.168.1.7")->is_host());
  CHECK(*Network::parse("192.168.1.7/32") == Network::host(ip("192.168.1.7")));
  CHECK_FALSE(Network::parse("192.168.1.0/24")->is_host());
  CHECK(Network::parse("2001:db8::/32")->prefix() == 32);
}

TEST_CASE("network: invalid networks say what is wrong", "[access][network]") {
  CHECK(problem("192.168.1.300") == "bad address \"192.168.1.300\": not an IPv4 or IPv6 address");
  CHECK(problem("192.168.1.300/24") == "bad address \"192.168.1.300\": not an IPv4 or IPv6 address");
  CHECK(problem("10.0.0.0/33") == "bad network \"10.0.0.0/33\": an IPv4 prefix must be 0..32");
  CHECK(problem("10.0.0.0/1234") == "bad network \"10.0.0.0/1234\": an IPv4 prefix must be 0..32");
  CHECK(problem("10.0.0.1/8") == "bad network \"10.0.0.1/8\": host bits are set (the network is 10.0.0.0/8)");
  CHECK(problem("192.168.1.7/24") ==
        "bad network \"192.168.1.7/24\": host bits are set (the network is 192.168.1.0/24)");
  CHECK(problem("10.192.0.0/9") ==
        "bad network \"10.192.0.0/9\": host bits are set (the network is 10.128.0.0/9)");
  CHECK(problem("2001:db8::/129") == "bad network \"2001:db8::/129\": an IPv6 prefix must be 0..128");
  CHECK(problem("2001:db8::1/32") ==
        "bad network \"2001:db8::1/32\": host bits are set (the network is 2001:db8::/32)");
  CHECK(problem("::ffff:10.0.0.0/64") ==
        "bad network \"::ffff:10.0.0.0/64\": an IPv4-mapped network needs a prefix of 96..128");
  CHECK(problem("10.0.0.0/") == "bad network \"10.0.0.0/\": the prefix after '/' must be a number");
  CHECK(problem("10.0.0.0/2a") == "bad network \"10.0.0.0/2a\": the prefix after '/' must be a number");
  CHECK(problem("10.0.0.0/-1") == "bad network \"10.0.0.0/-1\": the prefix after '/' must be a number");
  CHECK(problem("/24") == "bad address \"\": empty");
  CHECK(problem("") == "empty network (expected \"any\", an address or ADDRESS/PREFIX)");
  CHECK(problem("anything") == "bad address \"anything\": not an IPv4 or IPv6 address");
}

TEST_CASE("network: make and enclosing", "[access][network]") {
  CHECK(Network::make(ip("192.168.1.0"), 24)->text() == "192.168.1.0/24");
  auto wide = Network::make(ip("192.168.1.1"), 24);
  REQUIRE_FALSE(wide.ok());
  CHECK(wide.error().message == "bad network \"192.168.1.1/24\": host bits are set (the network is 192.168.1.0/24)");
  CHECK(Network::make(ip("10.0.0.0"), 33).error().message ==
        "bad network \"10.0.0.0/33\": an IPv4 prefix must be 0..32");
  CHECK(Network::enclosing(ip("192.168.1.77"), 24)->text() == "192.168.1.0/24");
  CHECK(Network::enclosing(ip("fd12:3456:789a:1::25"), 64)->text() == "fd12:3456:789a:1::/64");
  CHECK(Network::enclosing(ip("10.1.2.3"), 32)->text() == "10.1.2.3");
  CHECK_FALSE(Network::enclosing(ip("10.1.2.3"), 40).ok());
}

TEST_CASE("network: legacy address and mask pairs", "[access][network]") {
  CHECK(Network::from_mask(ip("192.168.0.0"), ip("255.255.0.0"))->text() == "192.168.0.0/16");
  CHECK(Network::from_mask(ip("172.16.0.0"), ip("255.240.0.0"))->text() == "172.16.0.0/12");
  CHECK(Network::from_mask(ip("192.168.0.1"), ip("255.255.255.255"))->text() == "192.168.0.1");
  CHECK(Network::from_mask(ip("192.168.0.0"), ip("255.0.255.0")).error().message ==
        "bad network \"192.168.0.0 255.0.255.0\": the mask bits must be contiguous");
  CHECK(Network::from_mask(ip("192.168.1.0"), ip("255.255.0.0")).error().message ==
        "bad network \"192.168.1.0 255.255.0.0\": host bits are set (the network is 192.168.0.0/16)");
  CHECK(Network::from_mask(ip("2001:db8::"), ip("255.255.0.0")).error().message ==
        "bad network \"2001:db8:: 255.255.0.0\": address and mask pairs are IPv4 only");
}

TEST_CASE("network: contains", "[access][network]") {
  struct Case {
    const char* network;
    const char* client;
    bool inside;
  };
  const Case cases[] = {
      {"any", "203.0.113.9", true},
      {"any", "2001:db8::9", true},
      {"192.168.1.0/24", "192.168.1.0", true},
      {"192.168.1.0/24", "192.168.1.255", true},
      {"192.168.1.0/24", "192.168.2.0", false},
      {"192.168.1.0/24", "::ffff:192.168.1.40", true},  // mapped client
      {"192.168.1.0/24", "::192.168.1.40", false},      // IPv4-compatible is IPv6
      {"10.128.0.0/9", "10.255.255.255", true},
      {"10.128.0.0/9", "10.127.255.255", false},
      {"192.168.1.6/31", "192.168.1.7", true},
      {"192.168.1.6/31", "192.168.1.8", false},
      {"192.168.1.7", "192.168.1.7", true},
      {"192.168.1.7", "192.168.1.8", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::9", false},  // families never mix
      {"::/0", "2001:db8::9", true},
      {"::/0", "203.0.113.9", false},
      {"::/0", "::ffff:203.0.113.9", false},
      {"2001:db8::/32", "2001:db8:ffff:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"2001:db8::/33", "2001:db8:7fff::1", true},
      {"2001:db8::/33", "2001:db8:8000::1", false},
      {"2001:db8::4/127", "2001:db8::5", true},
      {"2001:db8::4/127", "2001:db8::6", false},
      {"::1", "::1", true},
      {"::1", "127.0.0.1", false},
      {"10.0.0.0/8", "::ffff:10.9.8.7", true},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.network << " contains " << c.client) {
      CHECK(Network::parse(c.network)->contains(ip(c.client)) == c.inside);
    }
  }
}
