// Stream: the common part of Tcp and Pipe — read, write, shutdown, listen.
// Writes copy their bytes, so callers may drop buffers at once. Callbacks
// never run after close() or destruction, so an owner may capture `this`.
// Not thread-safe: loop thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"
#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

namespace detail {
struct StreamState {
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    uv_stream_t stream;
  } handle;
  bool closing = false;
  std::function<void(std::string_view)> on_data;
  std::function<void(int)> on_end;
  std::function<void(int)> on_connection;
  StreamState() : handle{} {}
};
}  // namespace detail

// Turns a libuv return code into Expected<void> naming the operation.
Expected<void> uv_check(int rc, const char* operation);

class Stream {
 public:
  using DataCb = std::function<void(std::string_view)>;
  // status: UV_EOF at orderly end, another negative libuv code on error.
  using EndCb = std::function<void(int status)>;

  Stream(Stream&&) noexcept = default;
  Stream& operator=(Stream&&) noexcept = default;
  virtual ~Stream() = default;

  Expected<void> read_start(DataCb on_data, EndCb on_end);
  void read_stop();
  // Queues bytes; `done` (optional) gets the write's status.
  Expected<void> write(std::string_view data, std::function<void(int)> done = {});
  Expected<void> shutdown(std::function<void(int)> done = {});
  // Calls cb(status) for every pending connection; the owner then accepts.
  Expected<void> listen(int backlog, std::function<void(int)> cb);
  std::size_t write_queue_size() const;
  int fileno() const;
  void close() { s_.close(); }
  bool is_open() const { return static_cast<bool>(s_); }

 protected:
  explicit Stream(detail::StreamState* s) : s_(s) {}
  uv_stream_t* stream() const { return &s_->handle.stream; }
  detail::Owner<detail::StreamState> s_;
};

}  // namespace pillarbox::event
