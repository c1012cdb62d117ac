// CAPA listing and APOP timestamp (client_capa.hpp): RFC 2449 §5 (one
// capability per line, name then arguments), §6 (TOP, USER, SASL,
// RESP-CODES, PIPELINING, UIDL), RFC 2595 §4 (STLS), RFC 1939 §7 (APOP).
#include "proto/pop3/client_capa.hpp"

#include <algorithm>

namespace pillarbox::pop3::client {

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
    std::size_t start = line.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    out.push_back(line.substr(start, end - start));
    pos = end;
  }
  return out;
}

}  // namespace

Capabilities parse_capabilities(std::string_view body) {
  Capabilities caps;
  caps.known = true;
  while (!body.empty()) {
    std::size_t end = body.find("\r\n");
    std::string_view line = body.substr(0, end);
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 2);
    auto w = words(line);
    if (w.empty()) continue;
    caps.lines.emplace_back(line);
    std::string name = upper(w.front());
    if (name == "STLS") caps.stls = true;
    else if (name == "USER") caps.user = true;
    else if (name == "UIDL") caps.uidl = true;
    else if (name == "TOP") caps.top = true;
    else if (name == "PIPELINING") caps.pipelining = true;
    else if (name == "RESP-CODES") caps.resp_codes = true;
    else if (name == "SASL") {
      for (std::size_t i = 1; i < w.size(); ++i) {
        std::string mech = upper(w[i]);
        if (std::find(caps.sasl.begin(), caps.sasl.end(), mech) == caps.sasl.end()) caps.sasl.push_back(mech);
      }
    }
  }
  return caps;
}

std::optional<std::string> apop_timestamp(std::string_view text) {
  std::size_t open = text.find('<');
  if (open == std::string_view::npos) return std::nullopt;
  std::size_t close = text.find('>', open);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view stamp = text.substr(open, close - open + 1);
  if (stamp.size() < 5 || stamp.size() > 255) return std::nullopt;  // at least "<a@b>"
  std::size_t at = 0;
  for (char c : stamp.substr(1, stamp.size() - 2)) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>') return std::nullopt;
    if (c == '@') ++at;
  }
  if (at != 1 || stamp[1] == '@' || stamp[stamp.size() - 2] == '@') return std::nullopt;
  return std::string(stamp);
}

}  // namespace pillarbox::pop3::client
