// I/O tests for Resolver::mail_targets (RFC 5321 §5.1, RFC 7505) against a
// private dnsmasq: MX order with addresses, implicit MX, null MX, NXDOMAIN,
// unresolvable MX hosts skipped, and the permanent/temporary verdict when
// none resolves.
#include <catch2/catch.hpp>

#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;

TEST_CASE("dns: mail_targets expands MX hosts in preference order", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "multi.pbx.test");
  REQUIRE(t.ok());
  REQUIRE(t->targets.size() == 3);
  CHECK(t->skipped.empty());
  const auto& first = t->targets[0];
  CHECK(first.host == "mx10.pbx.test");
  CHECK(first.preference == 10);
  CHECK_FALSE(first.implicit);
  CHECK(first.addresses.v6 == std::vector<std::string>{"2001:db8::10"});
  CHECK(first.addresses.v4 == std::vector<std::string>{"192.0.2.10"});
  CHECK(t->targets[1].host == "mx20.pbx.test");
  CHECK(t->targets[1].addresses.v4 == std::vector<std::string>{"192.0.2.20"});
  CHECK(t->targets[2].host == "mx30.pbx.test");
  CHECK(t->targets[2].addresses.v6 == std::vector<std::string>{"2001:db8::30"});
}

TEST_CASE("dns: mail_targets without MX records uses the implicit MX", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "implicit.pbx.test");
  REQUIRE(t.ok());
  REQUIRE(t->targets.size() == 1);
  const auto& only = t->targets[0];
  CHECK(only.host == "implicit.pbx.test");
  CHECK(only.preference == 0);
  CHECK(only.implicit);
  CHECK(only.addresses.v4 == std::vector<std::string>{"192.0.2.5"});
  CHECK(only.addresses.v6 == std::vector<std::string>{"2001:db8::5"});
}

TEST_CASE("dns: mail_targets without MX or address records is NotFound", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "nothing.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::NotFound);
  CHECK(t.error().message == "nothing.pbx.test: domain has no MX and no address records");
}

TEST_CASE("dns: mail_targets of a domain that does not exist is NotFound", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "no-such-domain.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::NotFound);
}

TEST_CASE("dns: mail_targets of a null MX domain is PermissionDenied despite its A record",
          "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "nullmx.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::PermissionDenied);
}

TEST_CASE("dns: mail_targets skips MX hosts that do not resolve and says why", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "partial.pbx.test");
  REQUIRE(t.ok());
  REQUIRE(t->targets.size() == 1);
  CHECK(t->targets[0].host == "mx20.pbx.test");
  CHECK(t->targets[0].preference == 20);
  REQUIRE(t->skipped.size() == 2);
  CHECK(t->skipped[0].host == "gone.pbx.test");
  CHECK(t->skipped[0].preference == 10);
  CHECK(t->skipped[0].error.code == ErrorCode::NotFound);
  CHECK(t->skipped[1].host == "nothing.pbx.test");
  CHECK(t->skipped[1].error.code == ErrorCode::NotFound);
}

TEST_CASE("dns: mail_targets whose MX hosts do not exist is NotFound", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "allgone.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::NotFound);
  CHECK(t.error().message == "allgone.pbx.test: no usable mail exchanger");
}

TEST_CASE("dns: mail_targets whose MX hosts all fail temporarily is Temporary", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "refusedmx.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::Temporary);
  CHECK(t.error().message == "refusedmx.pbx.test: no MX host could be resolved now");
}

TEST_CASE("dns: mail_targets with one temporary and one missing MX host is Temporary", "[dns][targets]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto t = await_targets(loop, r, "halfrefused.pbx.test");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().code == ErrorCode::Temporary);
}

TEST_CASE("dns: mail_targets resolves at most max_mx_hosts hosts", "[dns][targets]") {
  event::Loop loop;
  auto options = zone_options();
  options.max_mx_hosts = 2;
  auto r = make_resolver(loop, options);
  auto t = await_targets(loop, r, "multi.pbx.test");
  REQUIRE(t.ok());
  REQUIRE(t->targets.size() == 2);
  CHECK(t->targets[0].host == "mx10.pbx.test");
  CHECK(t->targets[1].host == "mx20.pbx.test");
}
