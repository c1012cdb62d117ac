// Async: the one way other threads wake the loop. send() is thread-safe and
// coalescing (several sends may give one callback), so the callback drains a
// queue rather than expecting one call per send.
#pragma once

#include <functional>

#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

namespace detail {
struct AsyncState {
  uv_async_t handle{};
  bool closing = false;
  std::function<void()> cb;
};
}  // namespace detail

class Async {
 public:
  Async(Loop& loop, std::function<void()> cb);
  // Thread-safe. Must not be called after the Async is destroyed.
  void send();
  // Lets the loop exit while this handle is the only one left.
  void unref();

 private:
  detail::Owner<detail::AsyncState> s_;
};

}  // namespace pillarbox::event
