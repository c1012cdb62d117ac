// Server entry parsing. inet_pton decides what an address is, so every form
// the C library accepts is accepted and nothing else.
#include "libcore/dns/server_list.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace pillarbox::dns {

namespace {

Unexpected bad(std::string_view text, std::string_view problem) {
  return fail(ErrorCode::InvalidInput,
              "name server \"" + std::string(text) + "\": " + std::string(problem));
}

bool is_ip(bool v6, const std::string& ip) {
  unsigned char buf[16];
  return inet_pton(v6 ? AF_INET6 : AF_INET, ip.c_str(), buf) == 1;
}

}  // namespace

Expected<ServerAddress> parse_server(std::string_view text) {
  ServerAddress out;
  std::string_view host = text;
  std::string_view port;
  if (text.empty()) return bad(text, "empty entry");
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad(text, "missing ']'");
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad(text, "expected ':port' after ']'");
      port = rest.substr(1);
      if (port.empty()) return bad(text, "empty port");
    }
    out.v6 = true;
  } else if (text.find(':') != text.rfind(':')) {
    out.v6 = true;  // several colons and no brackets: a bare IPv6 address
  } else if (auto colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return bad(text, "empty port");
  }
  out.ip = std::string(host);
  if (!is_ip(out.v6, out.ip)) {
    return bad(text, out.v6 ? "not an IPv6 address" : "not an IPv4 address");
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return bad(text, "port must be a number from 1 to 65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

Expected<std::vector<ServerAddress>> parse_servers(const std::vector<std::string>& entries) {
  std::vector<ServerAddress> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    auto one = parse_server(e);
    if (!one) return Unexpected{one.error()};
    out.push_back(std::move(*one));
  }
  return out;
}

}  // namespace pillarbox::dns
