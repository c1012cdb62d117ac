// The contract between the master and its children: what pillarboxd puts in
// a child's environment, and how a child reads it back. Pure parsing, so the
// format is unit-tested without processes.
//   PILLARBOX_NAME=smtpd             the child's name (log prefix, bus hello)
//   PILLARBOX_LISTEN_FDS=3:smtp,4:submission   inherited listening sockets
//   PILLARBOX_BUS=/data/run/bus.sock PILLARBOX_DATABASE=<libpq conninfo>
//   PILLARBOX_CONFIG=/data/pillarbox.conf
//   PILLARBOX_HEARTBEAT_MS=5000      PILLARBOX_SHUTDOWN_MS=10000
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::daemon {

struct Listener {
  int fd = -1;
  std::string service;
  friend bool operator==(const Listener&, const Listener&) = default;
};

struct Environment {
  std::string name;
  std::vector<Listener> listeners;
  std::string bus_path;
  std::string database;
  std::string config_path;
  uint64_t heartbeat_ms = 5000;
  uint64_t shutdown_ms = 10000;
};

// "3:smtp,4:submission" -> listeners; "" -> none. Rejects fds < 3, bad
// services names, duplicates.
Expected<std::vector<Listener>> parse_listen_fds(std::string_view text);
std::string format_listen_fds(const std::vector<Listener>& listeners);

// Reads the variables through `get` (std::getenv in production). NAME and
// BUS are required; the rest have defaults or may be empty.
Expected<Environment> read_environment(const std::function<const char*(const char*)>& get);
// The "KEY=value" entries that read_environment() reads back.
std::vector<std::string> to_variables(const Environment& env);

}  // namespace pillarbox::daemon
