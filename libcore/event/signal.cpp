// Signal over uv_signal_t.
#include "libcore/event/signal.hpp"

#include "libcore/base/log.hpp"

namespace pillarbox::event {

Signal::Signal(Loop& loop, int signum, std::function<void(int)> cb) : s_(new detail::SignalState) {
  s_->cb = std::move(cb);
  uv_signal_init(loop.get(), &s_->handle);
  s_->handle.data = s_.get();
  int rc = uv_signal_start(&s_->handle, [](uv_signal_t* h, int sig) {
    auto* s = static_cast<detail::SignalState*>(h->data);
    if (!s->closing && s->cb) detail::invoke_slot(s->cb, sig);
  }, signum);
  // Only an invalid signal number fails here: a programming error, logged.
  if (rc != 0) log::error("watch signal {}: {}", signum, uv_error_text(rc));
}

}  // namespace pillarbox::event
