// Timer: a one-shot or repeating libuv timer. Closing (destroying) it cancels
// any pending callback.
#pragma once

#include <cstdint>
#include <functional>

#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

namespace detail {
struct TimerState {
  uv_timer_t handle{};
  bool closing = false;
  std::function<void()> cb;
};
}  // namespace detail

class Timer {
 public:
  explicit Timer(Loop& loop);
  // Calls cb after timeout_ms, then every repeat_ms if non-zero. Restarts if
  // already running.
  void start(uint64_t timeout_ms, uint64_t repeat_ms, std::function<void()> cb);
  void stop();
  bool active() const;

 private:
  detail::Owner<detail::TimerState> s_;
};

}  // namespace pillarbox::event
