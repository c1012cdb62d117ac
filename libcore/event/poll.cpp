// Poll over uv_poll_t.
#include "libcore/event/poll.hpp"

namespace pillarbox::event {

Poll::Poll(Loop& loop, int fd) : s_(new detail::PollState) {
  uv_poll_init(loop.get(), &s_->handle, fd);
  s_->handle.data = s_.get();
}

void Poll::start(int events, std::function<void(int, int)> cb) {
  s_->cb = std::move(cb);
  uv_poll_start(&s_->handle, events, [](uv_poll_t* h, int status, int ev) {
    auto* s = static_cast<detail::PollState*>(h->data);
    if (!s->closing && s->cb) s->cb(status, ev);
  });
}

void Poll::stop() { uv_poll_stop(&s_->handle); }

}  // namespace pillarbox::event
