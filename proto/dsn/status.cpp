// Status codes, reply parsing and the local-failure table (see status.hpp).
// RFC 3463 §3 titles, RFC 3464 §2.3.3-2.3.4, RFC 5321 §4.2.1.
#include "proto/dsn/status.hpp"

#include <array>
#include <utility>

namespace pillarbox::dsn {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::Failed: return "failed";
    case Action::Delayed: return "delayed";
    case Action::Delivered: return "delivered";
    case Action::Relayed: return "relayed";
    case Action::Expanded: return "expanded";
  }
  return "failed";
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 1*3DIGIT without a leading zero ("0" itself is fine).
bool valid_subfield(std::string_view s) {
  if (s.empty() || s.size() > 3) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return s.size() == 1 || s.front() != '0';
}

}  // namespace

bool is_status_code(std::string_view code) {
  if (code.size() < 5 || (code[0] != '2' && code[0] != '4' && code[0] != '5') || code[1] != '.') {
    return false;
  }
  const std::string_view rest = code.substr(2);
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return false;
  return valid_subfield(rest.substr(0, dot)) && valid_subfield(rest.substr(dot + 1));
}

std::string status_title(std::string_view code) {
  // Subject.detail -> title; RFC 3463 §3.2-3.9 names, plus x.1.10 (RFC 7505)
  // and x.7.10 (RFC 5248 registry).
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 29> kTitles = {{
      {"1.0", "Other address status"},
      {"1.1", "Bad destination mailbox address"},
      {"1.2", "Bad destination system address"},
      {"1.3", "Bad destination mailbox address syntax"},
      {"1.6", "Destination mailbox has moved"},
      {"1.10", "Recipient address has null MX"},
      {"2.0", "Other or undefined mailbox status"},
      {"2.1", "Mailbox disabled, not accepting messages"},
      {"2.2", "Mailbox full"},
      {"2.3", "Message length exceeds administrative limit"},
      {"3.0", "Other or undefined mail system status"},
      {"3.1", "Mail system full"},
      {"3.2", "System not accepting network messages"},
      {"3.4", "Message too big for system"},
      {"4.0", "Other or undefined network or routing status"},
      {"4.1", "No answer from host"},
      {"4.2", "Bad connection"},
      {"4.3", "Directory server failure"},
      {"4.4", "Unable to route"},
      {"4.6", "Routing loop detected"},
      {"4.7", "Delivery time expired"},
      {"5.0", "Other or undefined protocol status"},
      {"5.1", "Invalid command"},
      {"5.2", "Syntax error"},
      {"5.3", "Too many recipients"},
      {"6.0", "Other or undefined media error"},
      {"7.0", "Other or undefined security status"},
      {"7.1", "Delivery not authorized, message refused"},
      {"7.10", "Encryption needed"},
  }};
  if (!is_status_code(code)) return {};
  const std::string_view rest = code.substr(2);
  for (const auto& [key, title] : kTitles) {
    if (key == rest) return std::string(title);
  }
  return {};
}

std::string_view status_class_name(std::string_view code) {
  if (!is_status_code(code)) return {};
  switch (code[0]) {
    case '2': return "success";
    case '4': return "temporary failure";
    default: return "permanent failure";
  }
}

std::optional<SmtpReply> parse_reply(std::string_view wire) {
  SmtpReply reply;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    std::size_t lf = wire.find('\n', pos);
    if (lf == std::string_view::npos) lf = wire.size();
    std::string_view line = wire.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) ||
        (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
      return std::nullopt;
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!reply.lines.empty() && code != reply.code) return std::nullopt;
    reply.code = code;
    std::string kept;
    for (char c : line) {
      if (c != '\r') kept += c;  // a stray CR inside a line cannot go into a report
    }
    reply.lines.push_back(std::move(kept));
  }
  if (reply.lines.empty()) return std::nullopt;
  // RFC 3463 §2: the enhanced code follows the reply code on the first line.
  const std::string& first = reply.lines.front();
  if (first.size() > 4) {
    const std::string_view text = std::string_view(first).substr(4);
    const std::string_view token = text.substr(0, text.find(' '));
    if (is_status_code(token) && token[0] == first[0]) reply.enhanced = std::string(token);
  }
  return reply;
}

std::string status_of(const SmtpReply& reply) {
  if (!reply.enhanced.empty()) return reply.enhanced;
  switch (reply.code / 100) {
    case 2: return "2.0.0";
    case 4: return "4.0.0";
    case 5: return "5.0.0";
    default: return "4.5.0";
  }
}

std::string status_of(LocalFailure failure) {
  switch (failure) {
    case LocalFailure::ConnectFailed: return "4.4.1";
    case LocalFailure::ConnectionLost: return "4.4.2";
    case LocalFailure::DnsTemporary: return "4.4.3";
    case LocalFailure::NoRoute: return "4.4.4";
    case LocalFailure::NoSuchDomain: return "5.1.2";
    case LocalFailure::NullMx: return "5.1.10";
    case LocalFailure::ProtocolError: return "4.5.0";
    case LocalFailure::TlsFailed: return "4.7.0";
    case LocalFailure::MessageTooBig: return "5.3.4";
    case LocalFailure::RoutingLoop: return "5.4.6";
    case LocalFailure::Expired: return "4.4.7";
    case LocalFailure::LocalError: return "4.3.0";
  }
  return "4.0.0";
}

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

}  // namespace

Outcome outcome_from_reply(std::string_view wire) {
  const auto reply = parse_reply(wire);
  if (!reply) {
    return Outcome{"4.5.0", "x-pillarbox", "unparsable reply: " + std::string(wire)};
  }
  return Outcome{status_of(*reply), "smtp", join_lines(reply->lines)};
}

Outcome outcome_from_reply(int code, std::string_view enhanced, std::string_view text) {
  // Rebuild the wire lines the way proto/smtp's format_reply() prints them.
  std::vector<std::string_view> texts;
  std::size_t pos = 0;
  while (true) {
    const std::size_t lf = text.find('\n', pos);
    texts.push_back(text.substr(pos, lf == std::string_view::npos ? lf : lf - pos));
    if (lf == std::string_view::npos) break;
    pos = lf + 1;
  }
  const std::string digits = std::to_string(code);
  std::string wire;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string line = digits + (i + 1 < texts.size() ? "-" : " ");
    if (!enhanced.empty()) line += std::string(enhanced) + (texts[i].empty() ? "" : " ");
    line += texts[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    wire += line + "\n";
  }
  return outcome_from_reply(wire);
}

Outcome outcome_from_local(LocalFailure failure, std::string_view detail) {
  return Outcome{status_of(failure), "x-pillarbox", std::string(detail)};
}

Action action_for(std::string_view status, bool giving_up, bool next_hop_has_dsn) {
  const char cls = status.empty() ? '4' : status.front();
  if (cls == '2') return next_hop_has_dsn ? Action::Delivered : Action::Relayed;
  if (cls == '5' || giving_up) return Action::Failed;
  return Action::Delayed;
}

}  // namespace pillarbox::dsn
