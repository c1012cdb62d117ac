// I/O tests for Resolver::mx against a private dnsmasq: preference order, tie
// shuffling, and the four outcomes a sender must tell apart — records, NODATA
// (implicit MX), NXDOMAIN and null MX — plus a refusing server (Temporary).
#include <catch2/catch.hpp>

#include <set>

#include "libcore/dns/answer.hpp"
#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;

namespace {

std::vector<std::string> hosts(const std::vector<MxRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.host);
  return out;
}

}  // namespace

TEST_CASE("dns: mx lists exchanges lowest preference first", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto mx = await_mx(loop, r, "multi.pbx.test");
  REQUIRE(mx.ok());
  CHECK(*mx == std::vector<MxRecord>{{10, "mx10.pbx.test"}, {20, "mx20.pbx.test"}, {30, "mx30.pbx.test"}});
}

TEST_CASE("dns: mx keeps ties in answer order when shuffling is off", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto first = await_mx(loop, r, "ties.pbx.test");
  REQUIRE(first.ok());
  REQUIRE(first->size() == 5);
  CHECK(first->front() == MxRecord{5, "d.pbx.test"});
  CHECK(first->back() == MxRecord{20, "e.pbx.test"});
  auto middle = hosts(*first);
  CHECK(std::set<std::string>(middle.begin() + 1, middle.end() - 1) ==
        std::set<std::string>{"a.pbx.test", "b.pbx.test", "c.pbx.test"});
  for (int i = 0; i < 5; ++i) {
    auto again = await_mx(loop, r, "ties.pbx.test");
    REQUIRE(again.ok());
    CHECK(hosts(*again) == middle);
  }
}

TEST_CASE("dns: mx shuffles equal preferences but never across ranks", "[dns][mx]") {
  event::Loop loop;
  auto options = zone_options();
  options.shuffle_equal_preference = true;
  auto r = make_resolver(loop, options);
  std::set<std::vector<std::string>> orders;
  // Three ties have six orders; 60 draws all alike happens with p = 6^-59.
  for (int i = 0; i < 60; ++i) {
    auto mx = await_mx(loop, r, "ties.pbx.test");
    REQUIRE(mx.ok());
    REQUIRE(mx->size() == 5);
    CHECK(mx->front().host == "d.pbx.test");
    CHECK(mx->back().host == "e.pbx.test");
    for (size_t k = 1; k < 4; ++k) CHECK((*mx)[k].preference == 10);
    orders.insert(hosts(*mx));
  }
  CHECK(orders.size() > 1);
}

TEST_CASE("dns: mx of a name without MX records is an empty list (NODATA)", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto implicit = await_mx(loop, r, "implicit.pbx.test");
  REQUIRE(implicit.ok());
  CHECK(implicit->empty());
  auto nothing = await_mx(loop, r, "nothing.pbx.test");
  REQUIRE(nothing.ok());
  CHECK(nothing->empty());
}

TEST_CASE("dns: mx of a domain that does not exist is NotFound (NXDOMAIN)", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto mx = await_mx(loop, r, "no-such-domain.pbx.test");
  REQUIRE_FALSE(mx.ok());
  CHECK(mx.error().code == ErrorCode::NotFound);
  CHECK(mx.error().message == "no-such-domain.pbx.test: domain does not exist");
}

TEST_CASE("dns: mx of a null MX domain is PermissionDenied (RFC 7505)", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto mx = await_mx(loop, r, "nullmx.pbx.test");
  REQUIRE_FALSE(mx.ok());
  CHECK(mx.error().code == ErrorCode::PermissionDenied);
  CHECK(mx.error().message == "nullmx.pbx.test: domain accepts no mail (null MX)");
}

TEST_CASE("dns: mx drops a null MX published beside real exchanges", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto mx = await_mx(loop, r, "mixednull.pbx.test");
  REQUIRE(mx.ok());
  CHECK(*mx == std::vector<MxRecord>{{10, "mx20.pbx.test"}});
}

TEST_CASE("dns: mx answered REFUSED is Temporary", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  auto mx = await_mx(loop, r, "somewhere.elsewhere.example");
  REQUIRE_FALSE(mx.ok());
  CHECK(mx.error().code == ErrorCode::Temporary);
  CHECK(mx.error().message == "somewhere.elsewhere.example: DNS lookup failed temporarily");
}

TEST_CASE("dns: mx of a name that cannot be queried is InvalidInput and answered later", "[dns][mx]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  const std::vector<std::string> bad_names = {"", ".", "a..b", "has space.test",
                                             std::string(64, 'x') + ".test", "caf\xc3\xa9.test"};
  for (const auto& bad : bad_names) {
    INFO("name: " << bad);
    bool called = false;
    std::optional<Expected<std::vector<MxRecord>>> out;
    r.mx(bad, [&](Expected<std::vector<MxRecord>> e) {
      called = true;
      out.emplace(std::move(e));
    });
    CHECK_FALSE(called);  // never from inside the call
    REQUIRE(loop.run_until([&] { return called; }, kDeadline));
    REQUIRE_FALSE(out->ok());
    CHECK(out->error().code == ErrorCode::InvalidInput);
  }
}

TEST_CASE("dns: order_mx sorts by preference and shuffles only within a rank", "[dns][mx]") {
  std::vector<MxRecord> records = {{20, "c"}, {10, "a"}, {10, "b"}, {5, "z"}, {20, "d"}};
  auto stable = records;
  order_mx(stable, nullptr);
  CHECK(stable == std::vector<MxRecord>{{5, "z"}, {10, "a"}, {10, "b"}, {20, "c"}, {20, "d"}});

  std::mt19937 rng(42);
  std::set<std::vector<std::string>> seen;
  for (int i = 0; i < 50; ++i) {
    auto shuffled = records;
    order_mx(shuffled, &rng);
    REQUIRE(shuffled.size() == 5);
    CHECK(shuffled[0].host == "z");
    CHECK(std::set<std::string>{shuffled[1].host, shuffled[2].host} == std::set<std::string>{"a", "b"});
    CHECK(std::set<std::string>{shuffled[3].host, shuffled[4].host} == std::set<std::string>{"c", "d"});
    seen.insert(hosts(shuffled));
  }
  CHECK(seen.size() == 4);
}
