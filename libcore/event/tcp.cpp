// Tcp over uv_tcp_t.
#include "libcore/event/tcp.hpp"

#include <memory>

namespace pillarbox::event {
namespace {
struct ConnectReq {
  uv_connect_t req{};
  std::function<void(int)> done;
  detail::StreamState* owner = nullptr;
};
}  // namespace

bool make_sockaddr(const std::string& address, uint16_t port, sockaddr_storage& out) {
  out = {};
  if (uv_ip4_addr(address.c_str(), port, reinterpret_cast<sockaddr_in*>(&out)) == 0) return true;
  return uv_ip6_addr(address.c_str(), port, reinterpret_cast<sockaddr_in6*>(&out)) == 0;
}

std::string sockaddr_text(const sockaddr* sa, uint16_t* port) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    uv_ip4_name(in, buf, sizeof buf);
    if (port) *port = ntohs(in->sin_port);
  } else if (sa->sa_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    uv_ip6_name(in6, buf, sizeof buf);
    if (port) *port = ntohs(in6->sin6_port);
  } else if (port) {
    *port = 0;
  }
  return buf;
}

Tcp::Tcp(Loop& loop) : Stream(new detail::StreamState), loop_(&loop) {
  uv_tcp_init(loop.get(), &s_->handle.tcp);
  s_->handle.tcp.data = s_.get();
}

Expected<Tcp> Tcp::open(Loop& loop, int fd) {
  Tcp t(loop);
  if (auto r = uv_check(uv_tcp_open(&t.s_->handle.tcp, fd), "tcp open"); !r) return Unexpected{r.error()};
  return t;
}

Expected<void> Tcp::bind(const std::string& address, uint16_t port) {
  sockaddr_storage sa;
  if (!make_sockaddr(address, port, sa)) return fail(ErrorCode::InvalidInput, "not an IP address: " + address);
  return uv_check(uv_tcp_bind(&s_->handle.tcp, reinterpret_cast<sockaddr*>(&sa), 0), "tcp bind");
}

Expected<void> Tcp::connect(const std::string& address, uint16_t port, std::function<void(int)> done) {
  sockaddr_storage sa;
  if (!make_sockaddr(address, port, sa)) return fail(ErrorCode::InvalidInput, "not an IP address: " + address);
  auto req = std::make_unique<ConnectReq>();
  req->done = std::move(done);
  req->owner = s_.get();
  req->req.data = req.get();
  int rc = uv_tcp_connect(&req->req, &s_->handle.tcp, reinterpret_cast<sockaddr*>(&sa),
                          [](uv_connect_t* r, int status) {
                            std::unique_ptr<ConnectReq> c(static_cast<ConnectReq*>(r->data));
                            if (!c->owner->closing && c->done) c->done(status);
                          });
  if (rc == 0) req.release();
  return uv_check(rc, "tcp connect");
}

Expected<Tcp> Tcp::accept() {
  Tcp client(*loop_);
  int rc = uv_accept(stream(), reinterpret_cast<uv_stream_t*>(&client.s_->handle.tcp));
  if (auto r = uv_check(rc, "accept"); !r) return Unexpected{r.error()};
  return client;
}

std::string Tcp::peer_address() const {
  sockaddr_storage sa{};
  int len = sizeof sa;
  if (uv_tcp_getpeername(&s_->handle.tcp, reinterpret_cast<sockaddr*>(&sa), &len) != 0) return {};
  return sockaddr_text(reinterpret_cast<sockaddr*>(&sa));
}

uint16_t Tcp::peer_port() const {
  sockaddr_storage sa{};
  int len = sizeof sa;
  uint16_t port = 0;
  if (uv_tcp_getpeername(&s_->handle.tcp, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
    sockaddr_text(reinterpret_cast<sockaddr*>(&sa), &port);
  return port;
}

uint16_t Tcp::local_port() const {
  sockaddr_storage sa{};
  int len = sizeof sa;
  uint16_t port = 0;
  if (uv_tcp_getsockname(&s_->handle.tcp, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
    sockaddr_text(reinterpret_cast<sockaddr*>(&sa), &port);
  return port;
}

void Tcp::no_delay(bool on) { uv_tcp_nodelay(&s_->handle.tcp, on ? 1 : 0); }

}  // namespace pillarbox::event
