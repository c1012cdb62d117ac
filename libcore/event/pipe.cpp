// Pipe over uv_pipe_t.
#include "libcore/event/pipe.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

namespace {

// Removes a socket file nobody listens on any more; refuses to touch anything
// else, and reports a live listener as InUse.
Expected<void> clear_stale_socket(const std::string& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) return {};  // nothing there
  if (!S_ISSOCK(st.st_mode)) return fail(ErrorCode::AlreadyExists, path + " exists and is not a socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(ErrorCode::Unavailable, std::string("socket: ") + std::strerror(errno));
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::close(fd);
  if (rc == 0) return fail(ErrorCode::InUse, path + " is in use by a running server");
  if (err != ECONNREFUSED) return fail(ErrorCode::Unavailable, "probe " + path + ": " + std::strerror(err));
  ::unlink(path.c_str());
  return {};
}

}  // namespace

Expected<void> Pipe::bind(const std::string& path) {
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    return fail(ErrorCode::InvalidInput, "socket path too long (" + std::to_string(path.size()) + " bytes, limit " +
                                             std::to_string(sizeof(sockaddr_un::sun_path) - 1) + "): " + path);
  if (auto r = clear_stale_socket(path); !r) return r;
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
