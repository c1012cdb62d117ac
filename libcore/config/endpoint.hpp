// Listening endpoints of the bootstrap config: "127.0.0.1:25", "[::1]:25",
// "*:25" (both 0.0.0.0 and [::]). Numeric addresses only: the master binds
// before any resolver is trustworthy, so host names are refused. No sockets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::config {

struct Endpoint {
  std::string address;  // canonical numeric form, no brackets: "127.0.0.1", "::1"
  uint16_t port = 0;    // 0: any free port (tests)
  bool v6 = false;

  // "127.0.0.1:25" / "[::1]:25": the form parse_endpoint accepts.
  std::string text() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses one "address:port" entry. "*:N" yields two endpoints, 0.0.0.0 first.
// Failure: ErrorCode::InvalidInput with a message naming the problem, for
// the caller to prefix with file, line and key.
Expected<std::vector<Endpoint>> parse_endpoint(std::string_view text);

}  // namespace pillarbox::config
