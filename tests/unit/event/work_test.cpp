// I/O tests for libcore/event/work: queue_work runs `work` on a pool thread
// and `after` on the loop thread, after work; ~Loop waits for queued work.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "libcore/event/loop.hpp"
#include "libcore/event/work.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {
constexpr auto kDeadline = 5s;
}

TEST_CASE("queue_work runs work off the loop thread and after on it", "[work]") {
  Loop loop;
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id work_thread;
  std::thread::id after_thread;
  std::atomic<bool> work_done{false};
  bool work_done_before_after = false;
  bool after_ran = false;
  queue_work(
      loop,
      [&] {
        work_thread = std::this_thread::get_id();
        work_done = true;
      },
      [&] {
        after_thread = std::this_thread::get_id();
        work_done_before_after = work_done;
        after_ran = true;
      });
  CHECK_FALSE(after_ran);  // never synchronous
  REQUIRE(loop.run_until([&] { return after_ran; }, kDeadline));
  CHECK(work_thread != loop_thread);
  CHECK(after_thread == loop_thread);
  CHECK(work_done_before_after);
}

TEST_CASE("queue_work completes many jobs each with its own result", "[work]") {
  Loop loop;
  constexpr int kJobs = 32;
  std::vector<long> results(kJobs, 0);
  std::vector<long> seen_after(kJobs, -1);
  int finished = 0;
  for (int i = 0; i < kJobs; ++i) {
    queue_work(
        loop,
        [&results, i] {
          long sum = 0;
          for (int k = 0; k <= i * 1000; ++k) sum += k;
          results[static_cast<size_t>(i)] = sum;
        },
        [&, i] {
          seen_after[static_cast<size_t>(i)] = results[static_cast<size_t>(i)];
          ++finished;
        });
  }
  REQUIRE(loop.run_until([&] { return finished == kJobs; }, kDeadline));
  for (int i = 0; i < kJobs; ++i) {
    long n = static_cast<long>(i) * 1000;
    CHECK(seen_after[static_cast<size_t>(i)] == n * (n + 1) / 2);
  }
}

TEST_CASE("queue_work accepts an empty after", "[work]") {
  Loop loop;
  std::atomic<bool> ran{false};
  queue_work(loop, [&] { ran = true; }, {});
  REQUIRE(loop.run_until([&] { return ran.load(); }, kDeadline));
}

TEST_CASE("Loop destruction waits for queued work and runs after", "[work]") {
  std::atomic<bool> work_ran{false};
  bool after_ran = false;
  {
    Loop loop;
    queue_work(loop, [&] { work_ran = true; }, [&] { after_ran = true; });
  }
  CHECK(work_ran);
  CHECK(after_ran);
}
