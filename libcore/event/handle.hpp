// The close-callback ownership rule, in one place: a wrapper owns a heap
// State whose first use is a libuv handle; destroying the wrapper calls
// uv_close, and the State is freed only in the close callback. After close
// starts, `closing` is set and no user callback runs again.
#pragma once

#include <uv.h>

#include <utility>

namespace pillarbox::event::detail {

template <class State>
void close_state(State* s) {
  if (s == nullptr || s->closing) return;
  s->closing = true;
  auto* h = reinterpret_cast<uv_handle_t*>(&s->handle);
  h->data = s;
  uv_close(h, [](uv_handle_t* closed) { delete static_cast<State*>(closed->data); });
}

// Calls the callback held in `slot` so that the callback may replace itself
// (start() with a new one) while running: the running closure stays alive
// until it returns, and is put back only if nothing took its place.
template <class Fn, class... Args>
void invoke_slot(Fn& slot, Args&&... args) {
  Fn running = std::move(slot);
  slot = nullptr;
  running(std::forward<Args>(args)...);
  if (!slot) slot = std::move(running);
}

// Move-only owner of a State*; closes on destruction.
template <class State>
class Owner {
 public:
  Owner() = default;
  explicit Owner(State* s) : s_(s) {}
  Owner(Owner&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Owner& operator=(Owner&& o) noexcept {
    if (this != &o) {
      close_state(s_);
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  Owner(const Owner&) = delete;
  Owner& operator=(const Owner&) = delete;
  ~Owner() { close_state(s_); }

  State* get() const { return s_; }
  State* operator->() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }
  void close() {
    close_state(s_);
    s_ = nullptr;
  }

 private:
  State* s_ = nullptr;
};

}  // namespace pillarbox::event::detail
