// Parsing and formatting of the master-to-child environment.
#include "libcore/daemon/environment.hpp"

#include <charconv>

namespace pillarbox::daemon {
namespace {

bool parse_uint(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool valid_service(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

Expected<std::vector<Listener>> parse_listen_fds(std::string_view text) {
  std::vector<Listener> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto colon = item.find(':');
    uint64_t fd = 0;
    if (colon == std::string_view::npos || !parse_uint(item.substr(0, colon), fd) || fd < 3 || fd > 65535)
      return fail(ErrorCode::InvalidInput, "PILLARBOX_LISTEN_FDS: bad entry '" + std::string(item) + "'");
    std::string_view service = item.substr(colon + 1);
    if (!valid_service(service))
      return fail(ErrorCode::InvalidInput, "PILLARBOX_LISTEN_FDS: bad service in '" + std::string(item) + "'");
    for (auto& l : out)
      if (l.fd == static_cast<int>(fd))
        return fail(ErrorCode::InvalidInput, "PILLARBOX_LISTEN_FDS: fd " + std::to_string(fd) + " given twice");
    out.push_back({static_cast<int>(fd), std::string(service)});
  }
  return out;
}

std::string format_listen_fds(const std::vector<Listener>& listeners) {
  std::string out;
  for (auto& l : listeners) {
    if (!out.empty()) out += ',';
    out += std::to_string(l.fd) + ":" + l.service;
  }
  return out;
}

Expected<Environment> read_environment(const std::function<const char*(const char*)>& get) {
  auto str = [&](const char* key) {
    const char* v = get(key);
    return std::string(v ? v : "");
  };
  Environment env;
  env.name = str("PILLARBOX_NAME");
  env.bus_path = str("PILLARBOX_BUS");
  env.database = str("PILLARBOX_DATABASE");
  env.config_path = str("PILLARBOX_CONFIG");
  if (env.name.empty() || env.bus_path.empty())
    return fail(ErrorCode::InvalidInput,
                "PILLARBOX_NAME and PILLARBOX_BUS are not set: this program is started by pillarboxd");
  auto listeners = parse_listen_fds(str("PILLARBOX_LISTEN_FDS"));
  if (!listeners) return Unexpected{listeners.error()};
  env.listeners = std::move(*listeners);
  for (auto [key, field] : {std::pair{"PILLARBOX_HEARTBEAT_MS", &env.heartbeat_ms},
                            std::pair{"PILLARBOX_SHUTDOWN_MS", &env.shutdown_ms}}) {
    std::string v = str(key);
    if (!v.empty() && (!parse_uint(v, *field) || *field == 0))
      return fail(ErrorCode::InvalidInput, std::string(key) + ": not a positive number: " + v);
  }
  return env;
}

std::vector<std::string> to_variables(const Environment& env) {
  return {
      "PILLARBOX_NAME=" + env.name,
      "PILLARBOX_LISTEN_FDS=" + format_listen_fds(env.listeners),
      "PILLARBOX_BUS=" + env.bus_path,
      "PILLARBOX_DATABASE=" + env.database,
      "PILLARBOX_CONFIG=" + env.config_path,
      "PILLARBOX_HEARTBEAT_MS=" + std::to_string(env.heartbeat_ms),
      "PILLARBOX_SHUTDOWN_MS=" + std::to_string(env.shutdown_ms),
  };
}

}  // namespace pillarbox::daemon
