// The kernel prints /proc/net/route addresses as a native-endian u32 with
// %08X, so the bytes are recovered by memcpy of the parsed value rather than
// by assuming little-endian. RTF_GATEWAY is 0x0002 in both tables.
#include "libcore/access/proc_routes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

namespace pillarbox::access {
namespace {

constexpr uint32_t kRtfGateway = 0x0002;

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<uint32_t> hex32(std::string_view text) {
  if (text.empty() || text.size() > 8) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    value = (value << 4) | static_cast<uint32_t>(d);
  }
  return value;
}

std::optional<IpAddress::Bytes> hex128(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  IpAddress::Bytes out{};
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_digit(text[2 * i]);
    int lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

template <class Fn>
void each_line(std::string_view text, Fn fn) {
  while (!text.empty()) {
    auto end = text.find('\n');
    fn(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
}

void add_unique(std::vector<IpAddress>& out, const IpAddress& a) {
  if (!a.unspecified() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
}

}  // namespace

std::vector<IpAddress> ipv4_gateways(std::string_view proc_net_route) {
  std::vector<IpAddress> out;
  each_line(proc_net_route, [&](std::string_view line) {
    auto f = fields(line);
    if (f.size() < 4) return;
    auto gateway = hex32(f[2]);
    auto flags = hex32(f[3]);
    if (!gateway || !flags || (*flags & kRtfGateway) == 0) return;  // also skips the header
    std::array<uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &*gateway, bytes.size());
    add_unique(out, IpAddress::from_v4_bytes(bytes));
  });
  return out;
}

std::vector<IpAddress> ipv6_gateways(std::string_view proc_net_ipv6_route) {
  std::vector<IpAddress> out;
  each_line(proc_net_ipv6_route, [&](std::string_view line) {
    auto f = fields(line);
    if (f.size() < 10) return;
    auto next_hop = hex128(f[4]);
    auto flags = hex32(f[8]);
    if (!next_hop || !flags || (*flags & kRtfGateway) == 0) return;
    add_unique(out, IpAddress::from_v6_bytes(*next_hop));
  });
  return out;
}

}  // namespace pillarbox::access
