// Dnsmasq: a private dnsmasq for the DNS tests, on 127.0.0.1 at a free high
// port, serving only the records the test passes (--no-resolv, --no-hosts,
// no config file, no pid file). Started in the constructor and ready when it
// returns (it has answered a probe); stopped (SIGTERM, then reaped) by the
// destructor, and killed by the kernel if the test process dies first.
// Needs the dnsmasq binary (Debian: dnsmasq-base): $PILLARBOX_DNSMASQ, or
// /usr/sbin/dnsmasq, or PATH; without it the constructor throws, so tests
// fail with the reason instead of passing silently.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pillarbox::dns::test {

class Dnsmasq {
 public:
  // `records`: dnsmasq options such as "--mx-host=a.test,mx.a.test,10".
  // Throws std::runtime_error with dnsmasq's own output when it cannot start.
  explicit Dnsmasq(const std::vector<std::string>& records);
  ~Dnsmasq();
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;

  uint16_t port() const { return port_; }
  // "127.0.0.1:PORT", as Options::servers takes it.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The full command line, for failure messages and reports.
  const std::vector<std::string>& command() const { return argv_; }

 private:
  bool start_once(const std::vector<std::string>& records, std::string& why);
  void stop();

  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string log_path_;
  std::vector<std::string> argv_;
};

}  // namespace pillarbox::dns::test
