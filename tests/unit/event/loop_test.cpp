// I/O tests for libcore/event/loop: run_until() with a predicate that holds,
// one that never does, and the drain of close callbacks in ~Loop.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"
#include "libcore/event/timer.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

TEST_CASE("Loop run_until returns at once when the predicate already holds", "[loop]") {
  Loop loop;
  int calls = 0;
  CHECK(loop.run_until([&] { ++calls; return true; }, 5s));
  CHECK(calls == 1);
  // No deadline timer was left behind.
  CHECK(uv_loop_alive(loop.get()) == 0);
}

TEST_CASE("Loop run_until gives up at the deadline", "[loop]") {
  Loop loop;
  Timer keep_busy(loop);
  keep_busy.start(60000, 0, [] {});
  uint64_t before = loop.now_ms();
  CHECK_FALSE(loop.run_until([] { return false; }, 20ms));
  CHECK(loop.now_ms() - before >= 20);
}

TEST_CASE("Loop run_until stops as soon as an event makes the predicate true", "[loop]") {
  Loop loop;
  Timer t(loop);
  bool fired = false;
  t.start(1, 0, [&] { fired = true; });
  CHECK(loop.run_until([&] { return fired; }, 5s));
}

TEST_CASE("Loop run returns when no handle is active", "[loop]") {
  Loop loop;
  Timer t(loop);
  int fired = 0;
  t.start(0, 0, [&] { ++fired; });
  loop.run();
  CHECK(fired == 1);
}

TEST_CASE("Loop stop ends run from a callback", "[loop]") {
  Loop loop;
  Timer t(loop);
  int fired = 0;
  t.start(1, 1, [&] {
    if (++fired == 2) loop.stop();
  });
  loop.run();
  CHECK(fired == 2);
  CHECK(t.active());
}

TEST_CASE("Loop destructor frees handles closed just before it", "[loop]") {
  // Under ASan/valgrind a leaked TimerState shows up here.
  std::optional<Loop> loop;
  loop.emplace();
  {
    Timer a(*loop);
    Timer b(*loop);
    a.start(1000, 0, [] {});
  }
  loop.reset();
  SUCCEED();
}

TEST_CASE("uv_error_text names the libuv error", "[loop]") {
  std::string text = uv_error_text(UV_ECONNREFUSED);
  CHECK(text.find("ECONNREFUSED") != std::string::npos);
  CHECK(text.find(uv_strerror(UV_ECONNREFUSED)) == 0);
}

// run_until() must count its deadline from the moment it is called, not from
// the loop's cached time: after a blocking start-up step (the sleep below
// stands for one; the loop itself never sleeps) the deadline would otherwise
// have passed before the first iteration.
TEST_CASE("Loop run_until measures its deadline from now", "[loop]") {
  Loop loop;
  Tcp server(loop);
  REQUIRE(server.bind("127.0.0.1", 0).ok());
  std::unique_ptr<Tcp> conn;
  REQUIRE(server
              .listen(4,
                      [&](int) {
                        auto c = server.accept();
                        if (!c) return;
                        conn = std::make_unique<Tcp>(std::move(*c));
                        CHECK(conn->read_start([&](std::string_view d) { CHECK(conn->write(d).ok()); }, [](int) {})
                                  .ok());
                      })
              .ok());
  std::this_thread::sleep_for(300ms);  // stands for a blocking start-up step
  Tcp client(loop);
  std::string got;
  REQUIRE(client
              .connect("127.0.0.1", server.local_port(),
                       [&](int) {
                         CHECK(client.read_start([&](std::string_view d) { got += d; }, [](int) {}).ok());
                         CHECK(client.write("ping").ok());
                       })
              .ok());
  CHECK(loop.run_until([&] { return got == "ping"; }, 200ms));
}
