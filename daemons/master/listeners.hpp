// Binds every configured listening socket in the master, so sockets outlive
// child restarts and ports below 1024 work before privileges are dropped.
// Sockets stay non-inheritable (FD_CLOEXEC); a child gets them through
// Process's pass_fds only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/base/owner.hpp"
#include "libcore/config/config.hpp"

namespace pillarbox::master {

struct BoundSocket {
  std::string service;
  config::Endpoint endpoint;  // with the real port when 0 was asked for
  UniqueFd fd;
};

// Binds all endpoints of all services, or fails naming the first that could
// not be bound: "couldn't bind smtp 127.0.0.1:25: Address already in use".
Expected<std::vector<BoundSocket>> bind_all(const std::map<std::string, std::vector<config::Endpoint>>& listen);

Expected<UniqueFd> bind_one(const config::Endpoint& ep, int backlog);

}  // namespace pillarbox::master
