// Path parsing for MAIL FROM / RCPT TO (RFC 5321 §4.1.2) and the refusal of
// relay tricks in recipients: the "%" hack, "!" (UUCP bang) paths, quoted local
// parts holding "@", and source routes (§3.6.1, §C). UTF-8 octets are accepted
// here and flagged; SMTPUTF8 is checked by the caller (RFC 6531 §3.3).
#include "proto/smtp/address.hpp"

#include <optional>

#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_atext(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (c >= 0x80) return true;  // UTF8-non-ascii (RFC 6531), checked as a whole later
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != npos;
}

bool is_domain_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c >= 0x80;
}

// Dot-string: atoms joined by single dots. Returns the end, or npos.
std::size_t skip_dot_string(std::string_view s, std::size_t pos) {
  while (true) {
    std::size_t start = pos;
    while (pos < s.size() && is_atext(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return npos;
    if (pos >= s.size() || s[pos] != '.') return pos;
    ++pos;
  }
}

// Quoted-string starting at the opening quote. Returns the end, or npos.
std::size_t skip_quoted(std::string_view s, std::size_t pos) {
  for (++pos; pos < s.size(); ++pos) {
    auto c = static_cast<unsigned char>(s[pos]);
    if (c == '"') return pos + 1;
    if (c == '\\') {
      if (++pos >= s.size()) return npos;
      c = static_cast<unsigned char>(s[pos]);
      if (c < 32 || c > 126) return npos;
    } else if (c < 32 || c == 127) {
      return npos;
    }
  }
  return npos;
}

// A-d-l ":" (RFC 5321 §4.1.2): "@dom,@dom:". Returns the end, or npos.
std::size_t skip_source_route(std::string_view s, std::size_t pos) {
  while (pos < s.size() && s[pos] == '@') {
    std::size_t start = ++pos;
    while (pos < s.size() && is_domain_char(static_cast<unsigned char>(s[pos]))) ++pos;
    if (!is_valid_domain(s.substr(start, pos - start), false)) return npos;
    if (pos < s.size() && s[pos] == ':') return pos + 1;
    if (pos >= s.size() || s[pos] != ',') return npos;
    ++pos;
  }
  return npos;
}

// The domain or address literal after "@". Returns the end, or npos.
std::size_t skip_domain(std::string_view s, std::size_t pos, bool& utf8) {
  if (pos < s.size() && s[pos] == '[') {
    std::size_t close = s.find(']', pos);
    if (close == npos || !is_valid_address_literal(s.substr(pos, close - pos + 1))) return npos;
    return close + 1;
  }
  std::size_t start = pos;
  while (pos < s.size() && is_domain_char(static_cast<unsigned char>(s[pos]))) {
    if (static_cast<unsigned char>(s[pos]) >= 0x80) utf8 = true;
    ++pos;
  }
  return is_valid_domain(s.substr(start, pos - start), utf8) ? pos : npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Unexpected relay_refusal(std::string_view why, std::string_view path) {
  return Unexpected{reply_error(ErrorCode::PermissionDenied,
                                "550 5.7.1 Relaying not allowed: " + std::string(why),
                                std::string(path))};
}

// The tricks that make a local-looking address relay elsewhere.
std::optional<Unexpected> relay_trick(std::string_view local, bool quoted, std::string_view path) {
  if (local.find('%') != npos) return relay_refusal("'%' in the local part", path);
  if (local.find('!') != npos) return relay_refusal("'!' paths are refused", path);
  if (quoted && local.find('@') != npos) {
    return relay_refusal("quoted local part containing '@'", path);
  }
  return std::nullopt;
}

}  // namespace

Expected<Path> parse_path(std::string_view text, PathRole role) {
  const bool sender = role == PathRole::Sender;
  const auto syntax = [&] {
    return Unexpected{reply_error(ErrorCode::InvalidInput,
                                  sender ? "501 5.1.7 Bad sender address syntax"
                                         : "501 5.1.3 Bad recipient address syntax",
                                  std::string(text.substr(0, 256)))};
  };
  if (text.empty() || text[0] != '<') return syntax();
  if (sender && text.substr(1, 1) == ">") return Path{"", false, 2};
  std::size_t pos = 1;
  if (text.substr(1, 1) == "@") {
    pos = skip_source_route(text, pos);
    if (pos == npos) return syntax();  // "<@example.org>" is no route, just bad
    if (!sender) return relay_refusal("source routes are refused", text.substr(0, 256));
  }
  const std::size_t local_start = pos;
  const bool quoted = text.substr(pos, 1) == "\"";
  pos = quoted ? skip_quoted(text, pos) : skip_dot_string(text, pos);
  if (pos == npos) return syntax();
  const std::string_view local = text.substr(local_start, pos - local_start);
  if (text.substr(pos, 1) == ">" && !sender) {
    // No domain: only <postmaster> (RFC 5321 §4.1.1.3); a bare bang path is a trick.
    if (!quoted && iequals(local, "postmaster")) return Path{std::string(local), false, pos + 1};
    if (auto trick = relay_trick(local, quoted, text.substr(0, pos + 1))) return *trick;
    return syntax();
  }
  if (text.substr(pos, 1) != "@") return syntax();
  bool utf8 = false;
  pos = skip_domain(text, pos + 1, utf8);
  if (pos == npos || text.substr(pos, 1) != ">") return syntax();
  std::string_view address = text.substr(local_start, pos - local_start);
  for (char c : local) utf8 = utf8 || static_cast<unsigned char>(c) >= 0x80;
  if (utf8 && !is_valid_utf8(address)) return syntax();
  if (!sender) {
    if (auto trick = relay_trick(local, quoted, text.substr(0, pos + 1))) return *trick;
  }
  return Path{std::string(address), utf8, pos + 1};
}

}  // namespace pillarbox::smtp
