// Timer over uv_timer_t.
#include "libcore/event/timer.hpp"

namespace pillarbox::event {

Timer::Timer(Loop& loop) : s_(new detail::TimerState) {
  uv_timer_init(loop.get(), &s_->handle);
  s_->handle.data = s_.get();
}

void Timer::start(uint64_t timeout_ms, uint64_t repeat_ms, std::function<void()> cb) {
  s_->cb = std::move(cb);
  uv_timer_start(&s_->handle, [](uv_timer_t* t) {
    auto* s = static_cast<detail::TimerState*>(t->data);
    if (!s->closing && s->cb) detail::invoke_slot(s->cb);
  }, timeout_ms, repeat_ms);
}

void Timer::stop() { uv_timer_stop(&s_->handle); }

bool Timer::active() const {
  return uv_is_active(reinterpret_cast<const uv_handle_t*>(&s_->handle)) != 0;
}

}  // namespace pillarbox::event
