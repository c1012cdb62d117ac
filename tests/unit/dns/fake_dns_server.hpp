// FakeDnsServer: a UDP DNS responder on 127.0.0.1 (port 0) driven by the
// test's own Loop, for answers dnsmasq will not give: SERVFAIL, silence (a
// server that never answers), hand-made records. The handler sees each query
// and returns the reply bytes, or nullopt to stay silent. Loop thread only;
// destroy it before the Loop.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dns_wire.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"

namespace pillarbox::dns::test {

class FakeDnsServer {
 public:
  using Handler = std::function<std::optional<std::string>(const Question& q, std::string_view query)>;

  // Throws std::runtime_error when the socket cannot be made.
  FakeDnsServer(event::Loop& loop, Handler handler);
  ~FakeDnsServer();
  FakeDnsServer(const FakeDnsServer&) = delete;
  FakeDnsServer& operator=(const FakeDnsServer&) = delete;

  // "127.0.0.1:PORT", as Options::servers takes it.
  std::string address() const;
  // Queries received so far (answered or not).
  int queries() const { return queries_; }

 private:
  void on_readable();

  int fd_ = -1;
  uint16_t port_ = 0;
  Handler handler_;
  std::optional<event::Poll> poll_;
  int queries_ = 0;
};

// Handlers for the common cases.
FakeDnsServer::Handler rcode_handler(int rcode);  // every query gets this rcode, no records
FakeDnsServer::Handler silent_handler();          // never answers

}  // namespace pillarbox::dns::test
