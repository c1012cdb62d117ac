// Poll over uv_poll_t.
#include "libcore/event/poll.hpp"

#include "libcore/event/stream.hpp"

namespace pillarbox::event {

Expected<Poll> Poll::open(Loop& loop, int fd) {
  auto* state = new detail::PollState;
  int rc = uv_poll_init(loop.get(), &state->handle, fd);
  if (rc != 0) {
    delete state;  // never initialised, so never to be closed
    return fail(ErrorCode::InvalidInput, "poll descriptor " + std::to_string(fd) + ": " + uv_error_text(rc));
  }
  Poll p;
  p.s_ = detail::Owner<detail::PollState>(state);
  state->handle.data = state;
  return p;
}

void Poll::start(int events, std::function<void(int, int)> cb) {
  s_->cb = std::move(cb);
  uv_poll_start(&s_->handle, events, [](uv_poll_t* h, int status, int ev) {
    auto* s = static_cast<detail::PollState*>(h->data);
    if (!s->closing && s->cb) detail::invoke_slot(s->cb, status, ev);
  });
}

void Poll::stop() { uv_poll_stop(&s_->handle); }

}  // namespace pillarbox::event
