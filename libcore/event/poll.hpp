// Poll: readiness of a foreign file descriptor (libpq's socket for LISTEN).
// The descriptor stays owned by its library; close the Poll before it goes.
// libuv refuses some descriptors (regular files, one already watched on this
// loop): open() reports that instead of leaving a dead handle.
#pragma once

#include <functional>

#include "libcore/base/expected.hpp"
#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

namespace detail {
struct PollState {
  uv_poll_t handle{};
  bool closing = false;
  std::function<void(int status, int events)> cb;
};
}  // namespace detail

class Poll {
 public:
  static Expected<Poll> open(Loop& loop, int fd);
  // events: UV_READABLE | UV_WRITABLE.
  void start(int events, std::function<void(int status, int events)> cb);
  void stop();

 private:
  Poll() = default;
  detail::Owner<detail::PollState> s_;
};

}  // namespace pillarbox::event
