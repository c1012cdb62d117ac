// Signal over uv_signal_t.
#include "libcore/event/signal.hpp"

namespace pillarbox::event {

Signal::Signal(Loop& loop, int signum, std::function<void(int)> cb) : s_(new detail::SignalState) {
  s_->cb = std::move(cb);
  uv_signal_init(loop.get(), &s_->handle);
  s_->handle.data = s_.get();
  uv_signal_start(&s_->handle, [](uv_signal_t* h, int sig) {
    auto* s = static_cast<detail::SignalState*>(h->data);
    if (!s->closing && s->cb) s->cb(sig);
  }, signum);
}

}  // namespace pillarbox::event
