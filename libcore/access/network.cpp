// CIDR arithmetic on the 16-byte address form. Host bits set is an error
// rather than silently cleared: "10.0.0.1/8" is usually a typo for a host or a
// different prefix, and an access rule that is wider than meant is a hole.
#include "libcore/access/network.hpp"

namespace pillarbox::access {
namespace {

// Does A agree with NET on the first PREFIX bits?
bool same_prefix(const IpAddress::Bytes& a, const IpAddress::Bytes& net, int prefix) {
  auto full = static_cast<size_t>(prefix / 8);
  for (size_t i = 0; i < full; ++i) {
    if (a[i] != net[i]) return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (net[full] & mask);
}

IpAddress clear_host_bits(const IpAddress& address, int prefix) {
  IpAddress::Bytes b = address.bytes();
  for (size_t i = 0; i < b.size(); ++i) {
    int keep = prefix - static_cast<int>(i) * 8;
    if (keep >= 8) continue;
    b[i] = keep <= 0 ? 0 : static_cast<uint8_t>(b[i] & (0xff << (8 - keep)));
  }
  if (address.v6()) return IpAddress::from_v6_bytes(b);
  return IpAddress::from_v4_bytes({b[0], b[1], b[2], b[3]});
}

// Why ADDRESS/PREFIX is not a network, or "" when it is one.
std::string problem(const IpAddress& address, int prefix) {
  if (prefix < 0 || prefix > address.bits()) {
    return address.v6() ? "an IPv6 prefix must be 0..128" : "an IPv4 prefix must be 0..32";
  }
  IpAddress meant = clear_host_bits(address, prefix);
  if (meant != address) {
    return "host bits are set (the network is " + meant.text() + "/" + std::to_string(prefix) + ")";
  }
  return {};
}

Unexpected bad(std::string_view written, const std::string& why) {
  return fail(ErrorCode::InvalidInput, "bad network \"" + std::string(written) + "\": " + why);
}

// Digits only: "24", "128". -1 when not a number; anything over 999 is
// reported as 1000, out of range for every family.
int parse_prefix(std::string_view text) {
  if (text.empty()) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value > 999 ? 1000 : value * 10 + (c - '0');
  }
  return value > 999 ? 1000 : value;
}

bool is_any_word(std::string_view text) {
  if (text == "*") return true;
  if (text.size() != 3) return false;
  std::string lower;
  for (char c : text) lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return lower == "any";
}

}  // namespace

Network Network::host(const IpAddress& address) {
  Network n;
  n.address_ = address;
  n.prefix_ = address.bits();
  n.any_ = false;
  return n;
}

Expected<Network> Network::make(const IpAddress& address, int prefix) {
  std::string why = problem(address, prefix);
  if (!why.empty()) return bad(address.text() + "/" + std::to_string(prefix), why);
  Network n = host(address);
  n.prefix_ = prefix;
  return n;
}

Expected<Network> Network::enclosing(const IpAddress& address, int prefix) {
  if (prefix < 0 || prefix > address.bits()) return make(address, prefix);  // reports the range
  return make(clear_host_bits(address, prefix), prefix);
}

Expected<Network> Network::parse(std::string_view text) {
  if (text.empty()) {
    return fail(ErrorCode::InvalidInput, "empty network (expected \"any\", an address or ADDRESS/PREFIX)");
  }
  if (is_any_word(text)) return any();
  auto slash = text.find('/');
  std::string_view written_address = text.substr(0, slash);
  auto address = IpAddress::parse(written_address);
  if (!address) return Unexpected{address.error()};
  if (slash == std::string_view::npos) return host(*address);

  int prefix = parse_prefix(text.substr(slash + 1));
  if (prefix < 0) return bad(text, "the prefix after '/' must be a number");
  if (written_address.find(':') != std::string_view::npos && !address->v6()) {
    // ::ffff:a.b.c.d/N names the IPv4 network it maps, as clients are mapped.
    if (prefix > 128) return bad(text, "an IPv6 prefix must be 0..128");
    if (prefix < 96) return bad(text, "an IPv4-mapped network needs a prefix of 96..128");
    prefix -= 96;
  }
  std::string why = problem(*address, prefix);
  if (!why.empty()) return bad(text, why);
  return make(*address, prefix);
}

Expected<Network> Network::from_mask(const IpAddress& address, const IpAddress& mask) {
  std::string written = address.text() + " " + mask.text();
  if (address.v6() || mask.v6()) return bad(written, "address and mask pairs are IPv4 only");
  int prefix = 0;
  bool ended = false;
  for (size_t i = 0; i < 4; ++i) {
    for (int bit = 7; bit >= 0; --bit) {
      bool set = ((mask.bytes()[i] >> bit) & 1) != 0;
      if (set && ended) return bad(written, "the mask bits must be contiguous");
      if (set) ++prefix;
      else ended = true;
    }
  }
  std::string why = problem(address, prefix);
  if (!why.empty()) return bad(written, why);
  return make(address, prefix);
}

bool Network::contains(const IpAddress& client) const {
  if (any_) return true;
  if (client.v6() != address_.v6()) return false;
  return same_prefix(client.bytes(), address_.bytes(), prefix_);
}

std::string Network::text() const {
  if (any_) return "any";
  if (is_host()) return address_.text();
  return address_.text() + "/" + std::to_string(prefix_);
}

}  // namespace pillarbox::access
