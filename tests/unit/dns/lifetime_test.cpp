// I/O tests for the Resolver's lifetime rules: destroying it cancels every
// outstanding lookup without calling back (also from inside a callback) and
// leaves no libuv handle behind; it survives a move; and many concurrent
// lookups on one channel all get their own answer.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>

#include "fake_dns_server.hpp"
#include "libcore/event/timer.hpp"
#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;
using namespace std::chrono_literals;

namespace {

// Runs the loop until a timer of `ms` fires: long enough for anything that
// would have happened (answers, timeouts) to have happened.
void run_for(event::Loop& loop, uint64_t ms) {
  bool fired = false;
  event::Timer t(loop);
  t.start(ms, 0, [&] { fired = true; });
  REQUIRE(loop.run_until([&] { return fired; }, kDeadline));
}

}  // namespace

TEST_CASE("dns: Destroying the resolver cancels lookups without calling back", "[dns][lifetime]") {
  event::Loop loop;
  int calls = 0;
  auto token = std::make_shared<int>(0);  // shared by every callback
  {
    FakeDnsServer server(loop, silent_handler());
    std::optional<Resolver> r;
    Options o;
    o.servers = {server.address()};
    o.timeout = 100ms;
    o.tries = 1;
    r.emplace(make_resolver(loop, o));
    r->mx("a.example.test", [&calls, token](auto) { ++calls; });
    r->addresses("b.example.test", [&calls, token](auto) { ++calls; });
    r->mail_targets("c.example.test", [&calls, token](auto) { ++calls; });
    REQUIRE(loop.run_until([&] { return server.queries() >= 4; }, kDeadline));
    r->mx("bad..name", [&calls, token](auto) { ++calls; });  // posted, not yet run
    CHECK(token.use_count() > 1);
    r.reset();
    CHECK(token.use_count() == 1);  // every callback destroyed with the resolver
    run_for(loop, 300);             // past the 100 ms timeout
  }
  CHECK(calls == 0);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(uv_loop_alive(loop.get()) == 0);  // no poll or timer handle left open
}

TEST_CASE("dns: Destroying the resolver from its own callback drops the rest", "[dns][lifetime]") {
  event::Loop loop;
  std::optional<Resolver> r;
  r.emplace(make_resolver(loop, zone_options()));
  int calls = 0;
  for (int i = 0; i < 20; ++i) {
    r->mx("multi.pbx.test", [&](Expected<std::vector<MxRecord>> mx) {
      ++calls;
      CHECK(mx.ok());
      r.reset();
    });
  }
  REQUIRE(loop.run_until([&] { return calls > 0; }, kDeadline));
  run_for(loop, 200);
  CHECK(calls == 1);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(uv_loop_alive(loop.get()) == 0);
}

TEST_CASE("dns: A resolver moved while lookups are outstanding still answers them", "[dns][lifetime]") {
  event::Loop loop;
  auto first = make_resolver(loop, zone_options());
  std::optional<Expected<std::vector<MxRecord>>> out;
  first.mx("multi.pbx.test", [&](Expected<std::vector<MxRecord>> mx) { out.emplace(std::move(mx)); });
  Resolver second = std::move(first);
  REQUIRE(loop.run_until([&] { return out.has_value(); }, kDeadline));
  REQUIRE(out->ok());
  CHECK((*out)->size() == 3);
  auto again = await_mx(loop, second, "multi.pbx.test");
  CHECK(again.ok());
}

TEST_CASE("dns: Many concurrent lookups each get their own answer", "[dns][lifetime]") {
  event::Loop loop;
  auto r = make_resolver(loop, zone_options());
  constexpr int kEach = 150;  // 750 queries: well past max_in_flight
  int done = 0;
  std::vector<std::string> wrong;
  auto why = [](const auto& result) {
    return result ? std::string("unexpected answer") : result.error().describe();
  };
  for (int i = 0; i < kEach; ++i) {
    r.mail_targets("multi.pbx.test", [&](Expected<MailTargets> t) {
      ++done;
      if (!t || t->targets.size() != 3 || t->targets[0].host != "mx10.pbx.test") {
        wrong.push_back("multi: " + why(t));
      }
    });
    r.mx("ties.pbx.test", [&](Expected<std::vector<MxRecord>> mx) {
      ++done;
      if (!mx || mx->size() != 5 || mx->front().host != "d.pbx.test") wrong.push_back("ties: " + why(mx));
    });
    r.addresses("mx20.pbx.test", [&](Expected<HostAddresses> a) {
      ++done;
      if (!a || a->v4 != std::vector<std::string>{"192.0.2.20"}) wrong.push_back("mx20: " + why(a));
    });
    r.mx("gone-" + std::to_string(i) + ".pbx.test", [&](Expected<std::vector<MxRecord>> mx) {
      ++done;
      if (mx || mx.error().code != ErrorCode::NotFound) wrong.push_back("gone: " + why(mx));
    });
  }
  REQUIRE(loop.run_until([&] { return done == 4 * kEach; }, kDeadline));
  INFO((wrong.empty() ? std::string() : wrong.front()));
  CHECK(wrong.empty());
}
