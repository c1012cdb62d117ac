// Resolver configuration: which name servers, how long to wait, how MX ties
// are ordered. A daemon fills it from its config keys; tests point it at
// their own server.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace pillarbox::dns {

struct Options {
  // Name servers, tried in order: "ip", "ip:port", "[ipv6]:port" (see
  // server_list.hpp). Empty: the system's, from resolv_conf.
  std::vector<std::string> servers;
  // The resolv.conf read when `servers` is empty; empty: /etc/resolv.conf
  // (c-ares falls back to 127.0.0.1:53 when it names no server).
  std::string resolv_conf;
  // Wait for the first try at each server; c-ares doubles it for every
  // further round over the server list. 0: resolv.conf / c-ares default (5 s).
  std::chrono::milliseconds timeout{0};
  // Rounds over the server list before a query fails Temporary.
  // 0: resolv.conf / c-ares default (4).
  int tries = 0;
  // RFC 5321 §5.1: MX hosts of equal preference MUST be randomised. Off only
  // for tests that need a predictable order (ties then keep answer order).
  bool shuffle_equal_preference = true;
  // mail_targets() resolves at most this many MX hosts (lowest preference
  // first); a hostile zone cannot make one lookup fan out without bound.
  std::size_t max_mx_hosts = 10;
  // Queries handed to c-ares at once; more wait in order. A burst of
  // hundreds of UDP answers overflows socket buffers and turns into timeouts.
  std::size_t max_in_flight = 64;
};

}  // namespace pillarbox::dns
