// getifaddrs() gives address and netmask per interface address; the netmask
// is turned into a prefix here from raw bytes (not through IpAddress, whose
// IPv4-mapping would misread an IPv6 mask). Non-contiguous masks are skipped.
#include "libcore/access/lan_info.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "libcore/access/proc_routes.hpp"

namespace pillarbox::access {
namespace {

// Prefix length of a contiguous mask, -1 otherwise.
int mask_prefix(const unsigned char* mask, size_t size) {
  int prefix = 0;
  bool ended = false;
  for (size_t i = 0; i < size; ++i) {
    for (int bit = 7; bit >= 0; --bit) {
      bool set = ((mask[i] >> bit) & 1) != 0;
      if (set && ended) return -1;
      if (set) ++prefix;
      else ended = true;
    }
  }
  return prefix;
}

// The interface's network, or nullopt for non-IP entries and odd masks.
std::optional<Network> network_of(const ifaddrs& ifa) {
  if (ifa.ifa_addr == nullptr || ifa.ifa_netmask == nullptr) return std::nullopt;
  int family = ifa.ifa_addr->sa_family;
  if (family != AF_INET && family != AF_INET6) return std::nullopt;
  auto address = IpAddress::from_sockaddr(*ifa.ifa_addr);
  if (!address) return std::nullopt;
  int prefix = -1;
  if (family == AF_INET) {
    sockaddr_in mask{};
    std::memcpy(&mask, ifa.ifa_netmask, sizeof mask);
    prefix = mask_prefix(reinterpret_cast<const unsigned char*>(&mask.sin_addr), sizeof mask.sin_addr);
  } else {
    sockaddr_in6 mask{};
    std::memcpy(&mask, ifa.ifa_netmask, sizeof mask);
    prefix = mask_prefix(reinterpret_cast<const unsigned char*>(&mask.sin6_addr), sizeof mask.sin6_addr);
    if (!address->v6()) prefix -= 96;  // an IPv4-mapped interface address
  }
  auto network = Network::enclosing(*address, prefix);
  if (!network) return std::nullopt;
  return *network;
}

Expected<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return fail(ErrorCode::Unavailable, std::string("read ") + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Expected<LanInfo> read_lan_info() {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) {
    return fail(ErrorCode::Unavailable, std::string("getifaddrs: ") + std::strerror(errno));
  }
  std::unique_ptr<ifaddrs, void (*)(ifaddrs*)> list(raw, freeifaddrs);

  LanInfo lan;
  for (const ifaddrs* ifa = list.get(); ifa != nullptr; ifa = ifa->ifa_next) {
    if ((ifa->ifa_flags & IFF_UP) == 0) continue;
    if (auto network = network_of(*ifa)) lan.networks.push_back(Interface{ifa->ifa_name, *network});
  }

  auto v4 = read_file("/proc/net/route");
  if (!v4) return Unexpected{v4.error()};
  lan.gateways = ipv4_gateways(*v4);
  if (auto v6 = read_file("/proc/net/ipv6_route")) {
    for (const auto& g : ipv6_gateways(*v6)) lan.gateways.push_back(g);
  }
  return lan;
}

}  // namespace pillarbox::access
