// I/O tests for libcore/event/timer: one-shot, repeat, stop, and the close
// rule — a Timer destroyed before it fires, or inside its own callback,
// never calls back again. Ordering between two timers replaces sleeping: a
// later timer firing proves an earlier one would have fired by then.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>

#include "libcore/event/loop.hpp"
#include "libcore/event/timer.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 5s;

// Runs the loop until a timer started after `ms` fires.
void run_past(Loop& loop, uint64_t ms) {
  Timer later(loop);
  bool fired = false;
  later.start(ms, 0, [&] { fired = true; });
  REQUIRE(loop.run_until([&] { return fired; }, kDeadline));
}

bool g_probe_destroyed = false;
bool g_probe_alive_after_restart = false;
struct Probe {
  ~Probe() { g_probe_destroyed = true; }
};

}  // namespace

TEST_CASE("Timer one-shot fires once and becomes inactive", "[timer]") {
  Loop loop;
  Timer t(loop);
  int fired = 0;
  CHECK_FALSE(t.active());
  t.start(1, 0, [&] { ++fired; });
  CHECK(t.active());
  REQUIRE(loop.run_until([&] { return fired == 1; }, kDeadline));
  CHECK_FALSE(t.active());
  run_past(loop, 5);
  CHECK(fired == 1);
}

TEST_CASE("Timer with zero timeout fires on the next iteration", "[timer]") {
  Loop loop;
  Timer t(loop);
  bool fired = false;
  t.start(0, 0, [&] { fired = true; });
  CHECK_FALSE(fired);
  loop.run_once();
  CHECK(fired);
}

TEST_CASE("Timer repeats until stopped from its callback", "[timer]") {
  Loop loop;
  Timer t(loop);
  int fired = 0;
  t.start(1, 1, [&] {
    if (++fired == 3) t.stop();
  });
  REQUIRE(loop.run_until([&] { return fired >= 3; }, kDeadline));
  CHECK_FALSE(t.active());
  run_past(loop, 10);
  CHECK(fired == 3);
}

TEST_CASE("Timer stopped before it fires never calls back", "[timer]") {
  Loop loop;
  Timer t(loop);
  bool fired = false;
  t.start(1, 0, [&] { fired = true; });
  t.stop();
  CHECK_FALSE(t.active());
  run_past(loop, 5);
  CHECK_FALSE(fired);
}

TEST_CASE("Timer restart replaces the timeout and the callback", "[timer]") {
  Loop loop;
  Timer t(loop);
  int first = 0;
  int second = 0;
  t.start(1, 0, [&] { ++first; });
  t.start(3, 0, [&] { ++second; });
  REQUIRE(loop.run_until([&] { return second == 1; }, kDeadline));
  run_past(loop, 5);
  CHECK(first == 0);
  CHECK(second == 1);
}

TEST_CASE("Timer destroyed before it fires never calls back", "[timer]") {
  Loop loop;
  std::optional<Timer> t;
  t.emplace(loop);
  bool fired = false;
  t->start(1, 0, [&] { fired = true; });
  t.reset();
  run_past(loop, 5);
  CHECK_FALSE(fired);
}

TEST_CASE("Timer destroyed inside its own callback stops repeating", "[timer]") {
  Loop loop;
  std::optional<Timer> t;
  t.emplace(loop);
  int fired = 0;
  t->start(1, 1, [&] {
    ++fired;
    t.reset();
  });
  REQUIRE(loop.run_until([&] { return fired >= 1; }, kDeadline));
  run_past(loop, 10);
  CHECK(fired == 1);
}

TEST_CASE("Timer moved keeps its pending callback", "[timer]") {
  // Timer has no user-declared move: it moves through its Owner member.
  Loop loop;
  Timer a(loop);
  bool fired = false;
  a.start(1, 0, [&] { fired = true; });
  Timer b = std::move(a);
  CHECK(b.active());
  REQUIRE(loop.run_until([&] { return fired; }, kDeadline));
}

// A callback that re-arms its own timer with a new closure (a reconnect
// back-off does this) must not destroy the closure it is still running in.
TEST_CASE("Timer restarted from its own callback keeps the running closure alive", "[timer]") {
  Loop loop;
  Timer t(loop);
  g_probe_destroyed = false;
  g_probe_alive_after_restart = false;
  int second = 0;
  {
    auto probe = std::make_shared<Probe>();
    t.start(1, 0, [&t, &second, probe] {
      t.start(1, 0, [&second] { ++second; });
      // Only globals from here on: the captures may already be gone.
      g_probe_alive_after_restart = !g_probe_destroyed;
    });
  }
  REQUIRE(loop.run_until([&] { return second == 1; }, kDeadline));
  CHECK(g_probe_alive_after_restart);
}
