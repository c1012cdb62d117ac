// "address:port" parsing for the listen section. inet_pton does the address
// checking and inet_ntop gives the canonical text, so "[0:0::1]" and "[::1]"
// compare equal when the config looks for duplicates.
#include "libcore/config/endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

namespace pillarbox::config {
namespace {

Expected<uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return fail(ErrorCode::InvalidInput, "missing port after ':'");
  if (text.size() > 5) return fail(ErrorCode::InvalidInput, "bad port \"" + std::string(text) + "\" (0..65535)");
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return fail(ErrorCode::InvalidInput, "bad port \"" + std::string(text) + "\" (0..65535)");
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return fail(ErrorCode::InvalidInput, "bad port \"" + std::string(text) + "\" (0..65535)");
  return static_cast<uint16_t>(value);
}

// Canonical text of a numeric address, or "" when it is not one.
std::string canonical(const std::string& address, bool v6) {
  unsigned char raw[sizeof(in6_addr)];
  char out[INET6_ADDRSTRLEN];
  int family = v6 ? AF_INET6 : AF_INET;
  if (inet_pton(family, address.c_str(), raw) != 1) return {};
  if (inet_ntop(family, raw, out, sizeof out) == nullptr) return {};
  return out;
}

}  // namespace

std::string Endpoint::text() const {
  std::string port_text = std::to_string(port);
  return v6 ? "[" + address + "]:" + port_text : address + ":" + port_text;
}

Expected<std::vector<Endpoint>> parse_endpoint(std::string_view text) {
  if (text.empty()) return fail(ErrorCode::InvalidInput, "empty address (expected \"address:port\")");
  std::string_view host;
  std::string_view port;
  bool v6 = false;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) {
      return fail(ErrorCode::InvalidInput, "bad address \"" + std::string(text) + "\": missing ']'");
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') {
      return fail(ErrorCode::InvalidInput, "missing port in \"" + std::string(text) + "\" (expected \"[address]:port\")");
    }
    port = rest.substr(1);
    v6 = true;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return fail(ErrorCode::InvalidInput, "missing port in \"" + std::string(text) + "\" (expected \"address:port\")");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return fail(ErrorCode::InvalidInput,
                  "bad address \"" + std::string(text) + "\": write IPv6 addresses in brackets, \"[::1]:25\"");
    }
  }
  auto number = parse_port(port);
  if (!number) return Unexpected{number.error()};

  if (!v6 && host == "*") {
    return std::vector<Endpoint>{{"0.0.0.0", *number, false}, {"::", *number, true}};
  }
  std::string address = canonical(std::string(host), v6);
  if (address.empty()) {
    return fail(ErrorCode::InvalidInput,
                "bad address \"" + std::string(host) + "\" (expected a numeric IPv4 address, [IPv6] or *)");
  }
  return std::vector<Endpoint>{{address, *number, v6}};
}

}  // namespace pillarbox::config
