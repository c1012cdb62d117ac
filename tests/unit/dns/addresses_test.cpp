// I/O tests for Resolver::addresses against a private dnsmasq: both families,
// one family, CNAMEs, NODATA and NXDOMAIN.
#include <catch2/catch.hpp>

#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;

TEST_CASE("dns: addresses returns AAAA and A records", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto a = await_addresses(loop, r, "mx10.pbx.test");
  REQUIRE(a.ok());
  CHECK(a->v6 == std::vector<std::string>{"2001:db8::10"});
  CHECK(a->v4 == std::vector<std::string>{"192.0.2.10"});
}

TEST_CASE("dns: addresses of a single-family host leaves the other list empty", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto v4 = await_addresses(loop, r, "mx20.pbx.test");
  REQUIRE(v4.ok());
  CHECK(v4->v6.empty());
  CHECK(v4->v4 == std::vector<std::string>{"192.0.2.20"});
  auto v6 = await_addresses(loop, r, "MX30.pbx.test.");  // case and the root dot do not matter
  REQUIRE(v6.ok());
  CHECK(v6->v6 == std::vector<std::string>{"2001:db8::30"});
  CHECK(v6->v4.empty());
}

TEST_CASE("dns: addresses follows a CNAME", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto a = await_addresses(loop, r, "alias.pbx.test");
  REQUIRE(a.ok());
  CHECK(a->v4 == std::vector<std::string>{"192.0.2.10"});
}

TEST_CASE("dns: addresses of a name without A or AAAA is empty (NODATA)", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto a = await_addresses(loop, r, "nothing.pbx.test");
  REQUIRE(a.ok());
  CHECK(a->empty());
}

TEST_CASE("dns: addresses of a name that does not exist is NotFound", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto a = await_addresses(loop, r, "gone.pbx.test");
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ErrorCode::NotFound);
  CHECK(a.error().message == "gone.pbx.test: domain does not exist");
}

TEST_CASE("dns: addresses answered REFUSED is Temporary", "[dns][addresses]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto a = await_addresses(loop, r, "mx.elsewhere.example");
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ErrorCode::Temporary);
}
