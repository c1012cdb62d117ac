// I/O tests for libcore/event/poll: readiness of a plain pipe. The Poll is
// destroyed (and the loop turned once) before the descriptors are closed, as
// the header requires.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"

using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 5s;

struct PipeFds {
  int r = -1;
  int w = -1;
  PipeFds() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
    r = fds[0];
    w = fds[1];
  }
  ~PipeFds() {
    ::close(r);
    ::close(w);
  }
};

}  // namespace

TEST_CASE("Poll on a pipe read end becomes readable after a write", "[poll]") {
  Loop loop;
  PipeFds p;
  int calls = 0;
  int last_status = 1;
  int last_events = 0;
  {
    auto opened = Poll::open(loop, p.r);
    REQUIRE(opened.ok());
    Poll& poll = *opened;
    poll.start(UV_READABLE, [&](int status, int events) {
      ++calls;
      last_status = status;
      last_events = events;
      poll.stop();  // level-triggered: stop so the unread byte does not spin
    });
    uv_run(loop.get(), UV_RUN_NOWAIT);
    uv_run(loop.get(), UV_RUN_NOWAIT);
    CHECK(calls == 0);

    REQUIRE(::write(p.w, "x", 1) == 1);
    REQUIRE(loop.run_until([&] { return calls > 0; }, kDeadline));
    CHECK(last_status == 0);
    CHECK((last_events & UV_READABLE) != 0);
    char c = 0;
    CHECK(::read(p.r, &c, 1) == 1);
    CHECK(c == 'x');
  }
  uv_run(loop.get(), UV_RUN_NOWAIT);
}

TEST_CASE("Poll on a pipe write end is writable at once", "[poll]") {
  Loop loop;
  PipeFds p;
  int events_seen = 0;
  {
    auto opened = Poll::open(loop, p.w);
    REQUIRE(opened.ok());
    Poll& poll = *opened;
    poll.start(UV_WRITABLE, [&](int status, int events) {
      CHECK(status == 0);
      events_seen = events;
      poll.stop();
    });
    REQUIRE(loop.run_until([&] { return events_seen != 0; }, kDeadline));
    CHECK((events_seen & UV_WRITABLE) != 0);
  }
  uv_run(loop.get(), UV_RUN_NOWAIT);
}

TEST_CASE("Poll stopped or destroyed does not call back", "[poll]") {
  Loop loop;
  PipeFds a;
  PipeFds b;
  PipeFds control_pipe;
  int stopped_calls = 0;
  int destroyed_calls = 0;
  bool control = false;
  {
    auto stopped_opened = Poll::open(loop, a.r);
    REQUIRE(stopped_opened.ok());
    Poll& stopped = *stopped_opened;
    stopped.start(UV_READABLE, [&](int, int) { ++stopped_calls; });
    stopped.stop();
    std::optional<Poll> destroyed;
    destroyed.emplace(std::move(*Poll::open(loop, b.r)));
    destroyed->start(UV_READABLE, [&](int, int) { ++destroyed_calls; });
    destroyed.reset();

    // A third pipe proves the loop polled after the data arrived.
    auto probe_opened = Poll::open(loop, control_pipe.r);
    REQUIRE(probe_opened.ok());
    Poll& probe = *probe_opened;
    probe.start(UV_READABLE, [&](int, int) {
      control = true;
      probe.stop();
    });
    REQUIRE(::write(a.w, "x", 1) == 1);
    REQUIRE(::write(b.w, "x", 1) == 1);
    REQUIRE(::write(control_pipe.w, "y", 1) == 1);
    REQUIRE(loop.run_until([&] { return control; }, kDeadline));
    uv_run(loop.get(), UV_RUN_NOWAIT);
  }
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(stopped_calls == 0);
  CHECK(destroyed_calls == 0);
}

TEST_CASE("Poll on a descriptor libuv cannot watch is refused", "[poll]") {
  Loop loop;
  int fd = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto p = Poll::open(loop, fd);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == pillarbox::ErrorCode::InvalidInput);
  ::close(fd);
}
