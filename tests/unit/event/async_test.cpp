// I/O tests for libcore/event/async: send() from another thread wakes the
// loop and the callback runs on the loop thread; sends coalesce; unref lets
// the loop exit; a destroyed Async never calls back.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "libcore/event/async.hpp"
#include "libcore/event/loop.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {
constexpr auto kDeadline = 5s;
}

TEST_CASE("Async send from another thread wakes the loop thread", "[async]") {
  Loop loop;
  int calls = 0;
  std::thread::id cb_thread;
  Async a(loop, [&] {
    ++calls;
    cb_thread = std::this_thread::get_id();
  });
  std::thread sender([&] { a.send(); });
  bool woke = loop.run_until([&] { return calls > 0; }, kDeadline);
  sender.join();
  REQUIRE(woke);
  CHECK(cb_thread == std::this_thread::get_id());
}

TEST_CASE("Async sends before the loop runs coalesce into one callback", "[async]") {
  Loop loop;
  int calls = 0;
  Async a(loop, [&] { ++calls; });
  std::thread sender([&] {
    for (int i = 0; i < 100; ++i) a.send();
  });
  sender.join();
  REQUIRE(loop.run_until([&] { return calls > 0; }, kDeadline));
  uv_run(loop.get(), UV_RUN_NOWAIT);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(calls == 1);

  // Still usable afterwards.
  a.send();
  REQUIRE(loop.run_until([&] { return calls == 2; }, kDeadline));
}

TEST_CASE("Async callback drains a queue filled by several threads", "[async]") {
  Loop loop;
  std::mutex mu;
  std::vector<int> queue;
  std::vector<int> drained;
  int calls = 0;
  Async a(loop, [&] {
    ++calls;
    std::lock_guard<std::mutex> lock(mu);
    drained.insert(drained.end(), queue.begin(), queue.end());
    queue.clear();
  });
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        {
          std::lock_guard<std::mutex> lock(mu);
          queue.push_back(t * kPerThread + i);
        }
        a.send();
      }
    });
  }
  bool all = loop.run_until([&] { return drained.size() == kThreads * kPerThread; }, kDeadline);
  for (auto& s : senders) s.join();
  REQUIRE(all);
  CHECK(calls >= 1);
  CHECK(calls <= kThreads * kPerThread);
  std::vector<bool> seen(kThreads * kPerThread, false);
  for (int v : drained) seen[static_cast<size_t>(v)] = true;
  for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i]);
}

TEST_CASE("Async unref lets the loop exit", "[async]") {
  Loop loop;
  Async a(loop, [] {});
  CHECK(uv_loop_alive(loop.get()) != 0);
  a.unref();
  REQUIRE(uv_loop_alive(loop.get()) == 0);
  loop.run();  // returns at once
}

TEST_CASE("Async destroyed with a pending send never calls back", "[async]") {
  Loop loop;
  int calls = 0;
  std::optional<Async> a;
  a.emplace(loop, [&] { ++calls; });
  a->send();
  a.reset();
  uv_run(loop.get(), UV_RUN_NOWAIT);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(calls == 0);
}
