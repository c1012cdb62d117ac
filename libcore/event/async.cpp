// Async over uv_async_t.
#include "libcore/event/async.hpp"

namespace pillarbox::event {

Async::Async(Loop& loop, std::function<void()> cb) : s_(new detail::AsyncState) {
  s_->cb = std::move(cb);
  uv_async_init(loop.get(), &s_->handle, [](uv_async_t* h) {
    auto* s = static_cast<detail::AsyncState*>(h->data);
    if (!s->closing && s->cb) detail::invoke_slot(s->cb);
  });
  s_->handle.data = s_.get();
}

void Async::send() { uv_async_send(&s_->handle); }
void Async::unref() { uv_unref(reinterpret_cast<uv_handle_t*>(&s_->handle)); }

}  // namespace pillarbox::event
