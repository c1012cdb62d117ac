// EHLO reply parsing for the SMTP client (client_ehlo.hpp). RFC 5321 §4.1.1.1,
// RFC 1870 §4 (SIZE parameter), RFC 4954 §3 (AUTH mechanisms).
#include "proto/smtp/client_ehlo.hpp"

#include <algorithm>
#include <limits>

namespace pillarbox::smtp::client {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    if (pos > start) out.push_back(line.substr(start, pos - start));
  }
  return out;
}

// RFC 4422 §3.1 sasl-mech: 1 to 20 of A-Z 0-9 - _ (accepted in lower case too).
bool is_mechanism(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Decimal without sign; 0 (no known limit) when unreadable or too large.
std::uint64_t parse_size(std::string_view s) {
  if (s.empty() || s.size() > 20) return 0;
  std::uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return 0;
    value = value * 10 + digit;
  }
  return value;
}

void add_mechanism(Capabilities& caps, std::string_view name) {
  if (!is_mechanism(name)) return;
  std::string mech = upper(name);
  if (std::find(caps.auth.begin(), caps.auth.end(), mech) == caps.auth.end()) caps.auth.push_back(mech);
}

void apply_line(Capabilities& caps, std::string_view line) {
  auto w = words(line);
  if (w.empty()) return;
  std::string keyword = upper(w[0]);
  if (keyword == "SIZE") {
    caps.size = true;
    caps.max_size = w.size() > 1 ? parse_size(w[1]) : 0;
  } else if (keyword == "PIPELINING") {
    caps.pipelining = true;
  } else if (keyword == "8BITMIME") {
    caps.eightbitmime = true;
  } else if (keyword == "SMTPUTF8") {
    caps.smtputf8 = true;
  } else if (keyword == "DSN") {
    caps.dsn = true;
  } else if (keyword == "STARTTLS") {
    caps.starttls = true;
  } else if (keyword == "ENHANCEDSTATUSCODES") {
    caps.enhanced_status_codes = true;
  } else if (keyword == "CHUNKING") {
    caps.chunking = true;
  } else if (keyword == "BINARYMIME") {
    caps.binarymime = true;
  } else if (keyword == "AUTH" || keyword.rfind("AUTH=", 0) == 0) {
    // Old servers (pre-RFC 2554 clients' era) announce "AUTH=LOGIN PLAIN".
    if (keyword.size() > 5) add_mechanism(caps, w[0].substr(5));
    for (std::size_t i = 1; i < w.size(); ++i) add_mechanism(caps, w[i]);
  }
}

}  // namespace

bool Capabilities::offers_auth(std::string_view mechanism) const {
  return std::find(auth.begin(), auth.end(), upper(mechanism)) != auth.end();
}

Capabilities parse_ehlo(const Reply& reply) {
  Capabilities caps;
  caps.esmtp = true;
  std::string_view rest = reply.text;
  bool first = true;
  while (true) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (first) {
      auto w = words(line);
      if (!w.empty()) caps.server_name = std::string(w[0]);
      first = false;
    } else {
      apply_line(caps, line);
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return caps;
}

}  // namespace pillarbox::smtp::client
