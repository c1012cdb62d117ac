// Socket creation with SO_REUSEADDR (restarts while old connections linger in
// TIME_WAIT) and IPV6_V6ONLY (so "*:25" can bind 0.0.0.0 and :: side by side).
#include "daemons/master/listeners.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace pillarbox::master {

Expected<UniqueFd> bind_one(const config::Endpoint& ep, int backlog) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (ep.v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(ep.port);
    if (inet_pton(AF_INET6, ep.address.c_str(), &a->sin6_addr) != 1)
      return fail(ErrorCode::InvalidInput, "not an IPv6 address: " + ep.address);
    len = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(ep.port);
    if (inet_pton(AF_INET, ep.address.c_str(), &a->sin_addr) != 1)
      return fail(ErrorCode::InvalidInput, "not an IPv4 address: " + ep.address);
    len = sizeof(sockaddr_in);
  }
  UniqueFd fd(::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return fail(ErrorCode::Unavailable, std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (ep.v6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd.get(), backlog) != 0) {
    int err = errno;
    return fail(err == EADDRINUSE ? ErrorCode::InUse : err == EACCES ? ErrorCode::PermissionDenied : ErrorCode::Unavailable,
                std::strerror(err));
  }
  return fd;
}

Expected<std::vector<BoundSocket>> bind_all(const std::map<std::string, std::vector<config::Endpoint>>& listen) {
  std::vector<BoundSocket> out;
  for (auto& [service, endpoints] : listen) {
    for (auto& ep : endpoints) {
      auto fd = bind_one(ep, 511);
      if (!fd) {
        Error e = fd.error();
        e.message = "couldn't bind " + service + " " + ep.text() + ": " + e.message;
        return Unexpected{e};
      }
      BoundSocket b{service, ep, std::move(*fd)};
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      if (::getsockname(b.fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) == 0)
        b.endpoint.port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                                          : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace pillarbox::master
