// Parses name-server entries as a configuration key or a test gives them:
// "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:5353".
// Addresses only: no host names (resolving the resolver would need a
// resolver). Pure; Resolver turns the result into c-ares servers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::dns {

struct ServerAddress {
  bool v6 = false;
  std::string ip;      // as written, without brackets
  uint16_t port = 53;  // 53 when the entry names none

  bool operator==(const ServerAddress&) const = default;
};

// One entry. InvalidInput names the entry and the problem.
Expected<ServerAddress> parse_server(std::string_view text);

// Every entry, in order; the first bad one fails the whole list.
Expected<std::vector<ServerAddress>> parse_servers(const std::vector<std::string>& entries);

}  // namespace pillarbox::dns
