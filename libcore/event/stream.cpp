// Stream operations. One read buffer per thread serves every stream, since
// libuv fills it and calls the read callback before the next allocation.
#include "libcore/event/stream.hpp"

#include <array>
#include <cstring>
#include <memory>

namespace pillarbox::event {
namespace {

thread_local std::array<char, 64 * 1024> g_read_buffer;

struct WriteReq {
  uv_write_t req{};
  std::string data;
  std::function<void(int)> done;
  detail::StreamState* owner = nullptr;
};

struct ShutdownReq {
  uv_shutdown_t req{};
  std::function<void(int)> done;
  detail::StreamState* owner = nullptr;
};

}  // namespace

Expected<void> uv_check(int rc, const char* operation) {
  if (rc == 0) return {};
  auto code = (rc == UV_EADDRINUSE) ? ErrorCode::InUse
            : (rc == UV_EACCES || rc == UV_EPERM) ? ErrorCode::PermissionDenied
            : (rc == UV_ENOENT) ? ErrorCode::NotFound
                                : ErrorCode::Unavailable;
  return fail(code, std::string(operation) + ": " + uv_error_text(rc));
}

Expected<void> Stream::read_start(DataCb on_data, EndCb on_end) {
  s_->on_data = std::move(on_data);
  s_->on_end = std::move(on_end);
  int rc = uv_read_start(
      stream(),
      [](uv_handle_t*, size_t, uv_buf_t* buf) {
        buf->base = g_read_buffer.data();
        buf->len = g_read_buffer.size();
      },
      [](uv_stream_t* h, ssize_t n, const uv_buf_t* buf) {
        auto* s = static_cast<detail::StreamState*>(h->data);
        if (s->closing) return;
        if (n > 0) {
          if (s->on_data) detail::invoke_slot(s->on_data, std::string_view(buf->base, static_cast<size_t>(n)));
        } else if (n < 0) {
          uv_read_stop(h);
          if (s->on_end) detail::invoke_slot(s->on_end, static_cast<int>(n));
        }
      });
  return uv_check(rc, "read start");
}

void Stream::read_stop() { uv_read_stop(stream()); }

Expected<void> Stream::write(std::string_view data, std::function<void(int)> done) {
  auto req = std::make_unique<WriteReq>();
  req->data.assign(data);
  req->done = std::move(done);
  req->owner = s_.get();
  req->req.data = req.get();
  uv_buf_t buf = uv_buf_init(req->data.data(), static_cast<unsigned>(req->data.size()));
  int rc = uv_write(&req->req, stream(), &buf, 1, [](uv_write_t* r, int status) {
    std::unique_ptr<WriteReq> w(static_cast<WriteReq*>(r->data));
    if (!w->owner->closing && w->done) w->done(status);
  });
  if (rc == 0) req.release();
  return uv_check(rc, "write");
}

Expected<void> Stream::shutdown(std::function<void(int)> done) {
  auto req = std::make_unique<ShutdownReq>();
  req->done = std::move(done);
  req->owner = s_.get();
  req->req.data = req.get();
  int rc = uv_shutdown(&req->req, stream(), [](uv_shutdown_t* r, int status) {
    std::unique_ptr<ShutdownReq> sr(static_cast<ShutdownReq*>(r->data));
    if (!sr->owner->closing && sr->done) sr->done(status);
  });
  if (rc == 0) req.release();
  return uv_check(rc, "shutdown");
}

Expected<void> Stream::listen(int backlog, std::function<void(int)> cb) {
  s_->on_connection = std::move(cb);
  int rc = uv_listen(stream(), backlog, [](uv_stream_t* h, int status) {
    auto* s = static_cast<detail::StreamState*>(h->data);
    if (!s->closing && s->on_connection) detail::invoke_slot(s->on_connection, status);
  });
  return uv_check(rc, "listen");
}

std::size_t Stream::write_queue_size() const { return uv_stream_get_write_queue_size(stream()); }

int Stream::fileno() const {
  uv_os_fd_t fd = -1;
  uv_fileno(reinterpret_cast<const uv_handle_t*>(stream()), &fd);
  return fd;
}

}  // namespace pillarbox::event
