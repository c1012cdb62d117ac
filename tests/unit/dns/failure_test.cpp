// I/O tests for temporary failures, with FakeDnsServer on the test's own
// loop: SERVFAIL, a server that never answers (short configured timeout), a
// half-failed address lookup, and falling over to a second server.
#include <catch2/catch.hpp>

#include <chrono>

#include "fake_dns_server.hpp"
#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;
using namespace std::chrono_literals;

namespace {

Options fake_options(const FakeDnsServer& server, std::chrono::milliseconds timeout, int tries) {
  Options o;
  o.servers = {server.address()};
  o.timeout = timeout;
  o.tries = tries;
  return o;
}

}  // namespace

TEST_CASE("dns: SERVFAIL is Temporary after the configured tries", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer server(loop, rcode_handler(kServFail));
  {
    auto r = make_resolver(loop, fake_options(server, 1000ms, 2));
    auto mx = await_mx(loop, r, "example.test");
    REQUIRE_FALSE(mx.ok());
    CHECK(mx.error().code == ErrorCode::Temporary);
    CHECK(mx.error().message == "example.test: DNS lookup failed temporarily");
    CHECK(server.queries() == 2);

    auto a = await_addresses(loop, r, "example.test");
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == ErrorCode::Temporary);

    auto t = await_targets(loop, r, "example.test");
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == ErrorCode::Temporary);
  }
}

TEST_CASE("dns: A server that never answers times out Temporary", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer server(loop, silent_handler());
  {
    auto r = make_resolver(loop, fake_options(server, 100ms, 1));
    auto started = std::chrono::steady_clock::now();
    auto mx = await_mx(loop, r, "example.test");
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(mx.ok());
    CHECK(mx.error().code == ErrorCode::Temporary);
    CHECK(mx.error().context.find("Timeout") != std::string::npos);
    CHECK(took >= 90ms);
    CHECK(took < 3s);
    CHECK(server.queries() == 1);

    auto t = await_targets(loop, r, "example.test");
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == ErrorCode::Temporary);
  }
}

TEST_CASE("dns: addresses with one family failing still returns the other", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer server(loop, [](const Question& q, std::string_view query) -> std::optional<std::string> {
    if (q.type == kTypeAaaa) return make_reply(query, kServFail);
    return make_reply(query, kNoError, {rr_a("198.51.100.7"), rr_a("198.51.100.8")});
  });
  {
    auto r = make_resolver(loop, fake_options(server, 1000ms, 1));
    auto a = await_addresses(loop, r, "half.example.test");
    REQUIRE(a.ok());
    CHECK(a->v6.empty());
    CHECK(a->v4 == std::vector<std::string>{"198.51.100.7", "198.51.100.8"});
  }
}

TEST_CASE("dns: addresses with one family failing and no addresses is Temporary", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer server(loop, [](const Question& q, std::string_view query) -> std::optional<std::string> {
    if (q.type == kTypeAaaa) return make_reply(query, kServFail);
    return make_reply(query, kNoError);  // NODATA for A
  });
  {
    auto r = make_resolver(loop, fake_options(server, 1000ms, 1));
    auto a = await_addresses(loop, r, "half.example.test");
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == ErrorCode::Temporary);
  }
}

TEST_CASE("dns: A hand-made null MX reply is recognised", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer server(loop, [](const Question& q, std::string_view query) -> std::optional<std::string> {
    if (q.type == kTypeMx) return make_reply(query, kNoError, {rr_mx(0, ".")});
    return make_reply(query, kNoError, {rr_a("198.51.100.9")});
  });
  {
    auto r = make_resolver(loop, fake_options(server, 1000ms, 1));
    auto t = await_targets(loop, r, "nomail.example.test");
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == ErrorCode::PermissionDenied);
  }
}

TEST_CASE("dns: A silent first server falls over to the second", "[dns][failure]") {
  event::Loop loop;
  FakeDnsServer silent(loop, silent_handler());
  {
    Options o = zone_options();
    o.servers = {silent.address(), zone().address()};
    o.timeout = 100ms;
    o.tries = 1;
    auto r = make_resolver(loop, o);
    auto mx = await_mx(loop, r, "multi.pbx.test");
    REQUIRE(mx.ok());
    CHECK(mx->size() == 3);
    CHECK(silent.queries() >= 1);
  }
}
