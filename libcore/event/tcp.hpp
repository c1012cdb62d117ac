// Tcp: a TCP listener or connection. Listeners are usually opened over a
// socket the master bound and passed down (open()), so a child never binds.
#pragma once

#include <cstdint>
#include <string>

#include "libcore/event/stream.hpp"

namespace pillarbox::event {

class Tcp : public Stream {
 public:
  explicit Tcp(Loop& loop);
  // Adopts an already bound or connected socket (e.g. inherited from the master).
  static Expected<Tcp> open(Loop& loop, int fd);

  Expected<void> bind(const std::string& address, uint16_t port);
  Expected<void> connect(const std::string& address, uint16_t port, std::function<void(int)> done);
  // Accepts one pending connection onto a new Tcp on the same loop.
  Expected<Tcp> accept();

  // Numeric peer/local address ("127.0.0.1", "::1") and port; empty/0 on error.
  std::string peer_address() const;
  uint16_t peer_port() const;
  uint16_t local_port() const;
  void no_delay(bool on);

 private:
  Loop* loop_;
};

// Parses a numeric IPv4/IPv6 address and port into storage; false if invalid.
bool make_sockaddr(const std::string& address, uint16_t port, sockaddr_storage& out);
// Numeric text and port of a socket address.
std::string sockaddr_text(const sockaddr* sa, uint16_t* port = nullptr);

}  // namespace pillarbox::event
