// FakeDnsServer over a non-blocking UDP socket watched by event::Poll. The
// Poll is closed before the socket, as poll.hpp requires.
#include "fake_dns_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace pillarbox::dns::test {

FakeDnsServer::FakeDnsServer(event::Loop& loop, Handler handler) : handler_(std::move(handler)) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("fake dns socket: ") + std::strerror(errno));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("fake dns bind 127.0.0.1:0: " + why);
  }
  port_ = ntohs(sa.sin_port);
  auto opened = event::Poll::open(loop, fd_);
  if (!opened) {
    ::close(fd_);
    throw std::runtime_error("fake dns poll: " + opened.error().describe());
  }
  poll_.emplace(std::move(*opened));
  poll_->start(UV_READABLE, [this](int, int) { on_readable(); });
}

FakeDnsServer::~FakeDnsServer() {
  poll_.reset();
  ::close(fd_);
}

std::string FakeDnsServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

void FakeDnsServer::on_readable() {
  char buf[1500];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return;  // EAGAIN: drained
    ++queries_;
    std::string_view query(buf, static_cast<size_t>(n));
    auto q = parse_question(query);
    if (!q) continue;
    auto reply = handler_(*q, query);
    if (!reply) continue;
    ::sendto(fd_, reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

FakeDnsServer::Handler rcode_handler(int rcode) {
  return [rcode](const Question&, std::string_view query) -> std::optional<std::string> {
    return make_reply(query, rcode);
  };
}

FakeDnsServer::Handler silent_handler() {
  return [](const Question&, std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

}  // namespace pillarbox::dns::test
