// Signal: calls back on the loop when a Unix signal arrives (SIGTERM, SIGHUP,
// SIGCHLD is libuv's own). Several Signal objects may watch one signal.
#pragma once

#include <functional>

#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

namespace detail {
struct SignalState {
  uv_signal_t handle{};
  bool closing = false;
  std::function<void(int)> cb;
};
}  // namespace detail

class Signal {
 public:
  Signal(Loop& loop, int signum, std::function<void(int)> cb);

 private:
  detail::Owner<detail::SignalState> s_;
};

}  // namespace pillarbox::event
