// One IPv4 or IPv6 client address as the access rules see it. An IPv4-mapped
// IPv6 address (::ffff:192.0.2.1, what a dual-stack listener reports for an
// IPv4 peer) is stored as the IPv4 address, so IPv4 rules match it.
// Numeric only: no host names, no zone ids ("fe80::1%eth0"), no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

struct sockaddr;

namespace pillarbox::access {

class IpAddress {
 public:
  using Bytes = std::array<uint8_t, 16>;

  IpAddress() = default;  // 0.0.0.0

  // "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1" (becomes 192.0.2.1).
  // Failure: InvalidInput, "bad address \"TEXT\": ...".
  static Expected<IpAddress> parse(std::string_view text);
  // Network byte order. from_v6_bytes maps ::ffff:a.b.c.d to IPv4.
  static IpAddress from_v4_bytes(const std::array<uint8_t, 4>& bytes);
  static IpAddress from_v6_bytes(const Bytes& bytes);
  // AF_INET or AF_INET6 as accept()/uv_tcp_getpeername() fill it in; any other
  // family: InvalidInput.
  static Expected<IpAddress> from_sockaddr(const sockaddr& address);

  bool v6() const { return v6_; }
  int bits() const { return v6_ ? 128 : 32; }
  // Network byte order; an IPv4 address uses the first 4 bytes, the rest are 0.
  const Bytes& bytes() const { return bytes_; }
  bool unspecified() const;  // 0.0.0.0 or ::

  // Canonical text: "192.0.2.1", "2001:db8::1" (inet_ntop form).
  std::string text() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  Bytes bytes_{};
  bool v6_ = false;
};

}  // namespace pillarbox::access
