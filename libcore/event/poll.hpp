// Poll: readiness of a foreign file descriptor (libpq's socket for LISTEN).
// The descriptor stays owned by its library; close the Poll before it goes.
#pragma once

#include <functional>

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
  Poll(Loop& loop, int fd);
  // events: UV_READABLE | UV_WRITABLE.
  void start(int events, std::function<void(int status, int events)> cb);
  void stop();

 private:
  detail::Owner<detail::PollState> s_;
};

}  // namespace pillarbox::event
