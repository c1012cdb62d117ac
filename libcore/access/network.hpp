// What one access rule matches: any address, a single host, or an IPv4/IPv6
// CIDR subnet. IPv4 networks never match IPv6 clients and the other way round
// (IPv4-mapped clients are IPv4, see ip_address.hpp). Pure value type.
#pragma once

#include <string>
#include <string_view>

#include "libcore/access/ip_address.hpp"
#include "libcore/base/expected.hpp"

namespace pillarbox::access {

class Network {
 public:
  Network() = default;  // any address

  static Network any() { return Network{}; }
  static Network host(const IpAddress& address);
  // The network ADDRESS/PREFIX; host bits must be clear. Prefix 0..32 for
  // IPv4, 0..128 for IPv6. Failure: InvalidInput naming the problem.
  static Expected<Network> make(const IpAddress& address, int prefix);
  // The network of PREFIX bits that contains ADDRESS (host bits cleared):
  // what an interface address and its netmask describe.
  static Expected<Network> enclosing(const IpAddress& address, int prefix);
  // "any" or "*" (any case), "192.0.2.7", "192.0.2.0/24", "2001:db8::/32",
  // "::1"; "::ffff:10.0.0.0/104" is the IPv4 network 10.0.0.0/8.
  // Failure: InvalidInput, "bad network \"TEXT\": ..." — out-of-range prefix,
  // host bits set (naming the network meant), malformed address.
  static Expected<Network> parse(std::string_view text);
  // Legacy VPOP3 form "192.168.0.0 255.255.0.0": contiguous IPv4 masks only.
  static Expected<Network> from_mask(const IpAddress& address, const IpAddress& mask);

  bool is_any() const { return any_; }
  bool is_host() const { return !any_ && prefix_ == address_.bits(); }
  const IpAddress& address() const { return address_; }
  int prefix() const { return prefix_; }

  bool contains(const IpAddress& client) const;

  // The form parse accepts: "any", "192.0.2.7" for a host, else "ADDR/PREFIX".
  std::string text() const;

  friend bool operator==(const Network&, const Network&) = default;

 private:
  IpAddress address_;
  int prefix_ = 0;
  bool any_ = true;
};

}  // namespace pillarbox::access
