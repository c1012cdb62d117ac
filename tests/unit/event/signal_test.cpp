// I/O tests for libcore/event/signal: a raised signal calls back on the
// loop, every watcher of that signal is told, and a destroyed watcher is not.
// Signals are raised only while a watcher exists, so the default action
// (terminate) never runs.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include "libcore/event/loop.hpp"
#include "libcore/event/signal.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {
constexpr auto kDeadline = 5s;
}

TEST_CASE("Signal raise SIGUSR1 calls back on the loop", "[signal]") {
  Loop loop;
  int got = 0;
  int calls = 0;
  std::thread::id cb_thread;
  Signal s(loop, SIGUSR1, [&](int signum) {
    got = signum;
    ++calls;
    cb_thread = std::this_thread::get_id();
  });
  REQUIRE(std::raise(SIGUSR1) == 0);
  CHECK(calls == 0);  // delivered through the loop, not from the handler
  REQUIRE(loop.run_until([&] { return calls > 0; }, kDeadline));
  CHECK(got == SIGUSR1);
  CHECK(calls == 1);
  CHECK(cb_thread == std::this_thread::get_id());
}

TEST_CASE("Signal only reports the signal it watches", "[signal]") {
  Loop loop;
  int usr1 = 0;
  int usr2 = 0;
  Signal s1(loop, SIGUSR1, [&](int) { ++usr1; });
  Signal s2(loop, SIGUSR2, [&](int) { ++usr2; });
  REQUIRE(std::raise(SIGUSR2) == 0);
  REQUIRE(loop.run_until([&] { return usr2 > 0; }, kDeadline));
  CHECK(usr1 == 0);
  REQUIRE(std::raise(SIGUSR1) == 0);
  REQUIRE(loop.run_until([&] { return usr1 > 0; }, kDeadline));
  CHECK(usr2 == 1);
}

TEST_CASE("Signal calls every watcher of one signal", "[signal]") {
  Loop loop;
  int a = 0;
  int b = 0;
  Signal first(loop, SIGUSR1, [&](int) { ++a; });
  Signal second(loop, SIGUSR1, [&](int) { ++b; });
  REQUIRE(std::raise(SIGUSR1) == 0);
  REQUIRE(loop.run_until([&] { return a > 0 && b > 0; }, kDeadline));
  CHECK(a == 1);
  CHECK(b == 1);
}

TEST_CASE("Signal destroyed watcher is not called while another still watches", "[signal]") {
  Loop loop;
  int kept = 0;
  int dropped = 0;
  Signal keep(loop, SIGUSR1, [&](int) { ++kept; });
  std::optional<Signal> drop;
  drop.emplace(loop, SIGUSR1, [&](int) { ++dropped; });
  drop.reset();
  REQUIRE(std::raise(SIGUSR1) == 0);
  REQUIRE(loop.run_until([&] { return kept > 0; }, kDeadline));
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(dropped == 0);
}
