// Address parsing and printing through inet_pton/inet_ntop, so the accepted
// syntax is exactly the C library's strict numeric one (no "010.1.1.1", no
// "1.2.3", no host names).
#include "libcore/access/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace pillarbox::access {
namespace {

bool v4_mapped(const IpAddress::Bytes& b) {
  for (int i = 0; i < 10; ++i) {
    if (b[static_cast<size_t>(i)] != 0) return false;
  }
  return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

IpAddress IpAddress::from_v4_bytes(const std::array<uint8_t, 4>& bytes) {
  IpAddress a;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::from_v6_bytes(const Bytes& bytes) {
  if (v4_mapped(bytes)) return from_v4_bytes({bytes[12], bytes[13], bytes[14], bytes[15]});
  IpAddress a;
  a.bytes_ = bytes;
  a.v6_ = true;
  return a;
}

Expected<IpAddress> IpAddress::parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(ErrorCode::InvalidInput, "bad address \"" + std::string(text) + "\": " + std::string(why));
  };
  if (text.empty()) return bad("empty");
  // Longer than any numeric form (45 for "ffff:...:255.255.255.255"): refuse
  // before copying, the text may come from a file or a command line.
  if (text.size() > 45) return bad("too long for an IPv4 or IPv6 address");
  if (text.find('%') != std::string_view::npos) return bad("zone ids (\"%eth0\") are not supported");
  std::string copy(text);
  if (copy.find(':') != std::string::npos) {
    Bytes raw{};
    if (inet_pton(AF_INET6, copy.c_str(), raw.data()) != 1) return bad("not an IPv6 address");
    return from_v6_bytes(raw);
  }
  std::array<uint8_t, 4> raw{};
  if (inet_pton(AF_INET, copy.c_str(), raw.data()) != 1) return bad("not an IPv4 or IPv6 address");
  return from_v4_bytes(raw);
}

Expected<IpAddress> IpAddress::from_sockaddr(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address, sizeof in);
    std::array<uint8_t, 4> raw{};
    std::memcpy(raw.data(), &in.sin_addr, raw.size());
    return from_v4_bytes(raw);
  }
  if (address.sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof in6);
    Bytes raw{};
    std::memcpy(raw.data(), &in6.sin6_addr, raw.size());
    return from_v6_bytes(raw);
  }
  return fail(ErrorCode::InvalidInput, "not an IP socket address",
              "address family " + std::to_string(address.sa_family));
}

bool IpAddress::unspecified() const {
  return std::all_of(bytes_.begin(), bytes_.end(), [](uint8_t b) { return b == 0; });
}

std::string IpAddress::text() const {
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(v6_ ? AF_INET6 : AF_INET, bytes_.data(), out, sizeof out) == nullptr) return "?";
  return out;
}

}  // namespace pillarbox::access
