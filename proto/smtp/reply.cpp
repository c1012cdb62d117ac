// Reply formatting and the Error -> Reply mapping (RFC 5321 §4.2, RFC 2034).
// No decisions about which reply to give; see session*.cpp for those.
#include "proto/smtp/reply.hpp"

#include <string_view>

namespace pillarbox::smtp {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "x.y.z" with x one digit and y, z one to three digits (RFC 3463 §2).
bool is_enhanced(std::string_view s) {
  std::size_t pos = 0;
  for (int part = 0; part < 3; ++part) {
    std::size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    std::size_t len = pos - start;
    if (len == 0 || len > (part == 0 ? 1U : 3U)) return false;
    if (part < 2) {
      if (pos >= s.size() || s[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == s.size();
}

// Splits "ddd x.y.z text" (or "ddd text"); false when `s` is not in that form.
bool split_reply(std::string_view s, Reply& out) {
  if (s.size() < 3 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2])) return false;
  if (s.size() > 3 && s[3] != ' ') return false;
  out.code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  if (out.code < 200 || out.code > 599) return false;
  std::string_view rest = s.size() > 3 ? s.substr(4) : std::string_view{};
  std::size_t space = rest.find(' ');
  std::string_view first = rest.substr(0, space);
  if (is_enhanced(first)) {
    out.enhanced = std::string(first);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  out.text = std::string(rest);
  return true;
}

Reply default_reply(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput: return {501, "5.5.4", "Syntax error in parameters"};
    case ErrorCode::PermissionDenied: return {550, "5.7.1", "Access denied"};
    case ErrorCode::NotFound: return {550, "5.1.1", "Recipient address rejected: User unknown"};
    case ErrorCode::TooBig: return {552, "5.3.4", "Message too large"};
    case ErrorCode::QuotaExceeded: return {552, "5.2.2", "Mailbox full"};
    case ErrorCode::AlreadyExists: return {550, "5.0.0", "Already exists"};
    case ErrorCode::Temporary:
    case ErrorCode::Unavailable:
    case ErrorCode::InUse:
    case ErrorCode::Internal: break;
  }
  return {451, "4.3.0", "Temporary failure, try again later"};
}

}  // namespace

std::string Reply::wire() const {
  std::string out;
  std::string_view rest = text;
  const std::string number = std::to_string(code);
  while (true) {
    std::size_t nl = rest.find('\n');
    bool last = nl == std::string_view::npos;
    out += number;
    out += last ? ' ' : '-';
    if (!enhanced.empty()) {
      out += enhanced;
      out += ' ';
    }
    // A stray control character from a host-supplied text must never end the
    // line early or smuggle a second reply.
    for (char c : rest.substr(0, nl)) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    out += "\r\n";
    if (last) break;
    rest = rest.substr(nl + 1);
  }
  return out;
}

Error reply_error(ErrorCode code, std::string reply, std::string context) {
  return Error{code, std::move(reply), std::move(context)};
}

Reply reply_for(const Error& error) {
  Reply reply;
  if (split_reply(error.message, reply)) return reply;
  reply = default_reply(error.code);
  if (!error.message.empty()) reply.text = error.message;
  return reply;
}

}  // namespace pillarbox::smtp
