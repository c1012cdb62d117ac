// Pipe over uv_pipe_t.
#include "libcore/event/pipe.hpp"

#include <unistd.h>

#include <memory>

namespace pillarbox::event {
namespace {
struct ConnectReq {
  uv_connect_t req{};
  std::function<void(int)> done;
  detail::StreamState* owner = nullptr;
};
}  // namespace

Pipe::Pipe(Loop& loop) : Stream(new detail::StreamState), loop_(&loop) {
  uv_pipe_init(loop.get(), &s_->handle.pipe, 0);
  s_->handle.pipe.data = s_.get();
}

Expected<void> Pipe::bind(const std::string& path) {
  ::unlink(path.c_str());  // a socket file left by a previous run
  return uv_check(uv_pipe_bind(&s_->handle.pipe, path.c_str()), "bind unix socket");
}

void Pipe::connect(const std::string& path, std::function<void(int)> done) {
  auto req = std::make_unique<ConnectReq>();
  req->done = std::move(done);
  req->owner = s_.get();
  req->req.data = req.get();
  uv_pipe_connect(&req.release()->req, &s_->handle.pipe, path.c_str(), [](uv_connect_t* r, int status) {
    std::unique_ptr<ConnectReq> c(static_cast<ConnectReq*>(r->data));
    if (!c->owner->closing && c->done) c->done(status);
  });
}

Expected<Pipe> Pipe::accept() {
  Pipe client(*loop_);
  int rc = uv_accept(stream(), reinterpret_cast<uv_stream_t*>(&client.s_->handle.pipe));
  if (auto r = uv_check(rc, "accept"); !r) return Unexpected{r.error()};
  return client;
}

Expected<Pipe> Pipe::open(Loop& loop, int fd) {
  Pipe p(loop);
  if (auto r = uv_check(uv_pipe_open(&p.s_->handle.pipe, fd), "pipe open"); !r) return Unexpected{r.error()};
  return p;
}

}  // namespace pillarbox::event
