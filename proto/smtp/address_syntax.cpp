// Character-level syntax for paths: domains, address literals (RFC 5321
// §4.1.2, §4.1.3) and UTF-8 well-formedness (RFC 3629 §4). Path structure and
// relay tricks are in address.cpp.
#include "proto/smtp/address.hpp"

namespace pillarbox::smtp {

namespace {

bool is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t start = pos;
    int value = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 3) {
      value = value * 10 + (s[pos++] - '0');
    }
    if (pos == start || value > 255) return false;
    if (++parts == 4) return pos == s.size();
    if (pos >= s.size() || s[pos] != '.') return false;
    ++pos;
  }
}

// Counts the 16-bit groups of "h:h:...[:ipv4]" (an IPv4 tail counts two).
bool count_groups(std::string_view s, bool ipv4_tail, int& groups) {
  groups = 0;
  if (s.empty()) return true;
  std::size_t pos = 0;
  while (true) {
    std::size_t colon = s.find(':', pos);
    std::string_view piece = s.substr(pos, colon == std::string_view::npos ? colon : colon - pos);
    if (colon == std::string_view::npos && ipv4_tail && piece.find('.') != std::string_view::npos) {
      if (!is_ipv4(piece)) return false;
      groups += 2;
      return true;
    }
    if (piece.empty() || piece.size() > 4) return false;
    for (char c : piece) {
      if (!is_hex(c)) return false;
    }
    ++groups;
    if (colon == std::string_view::npos) return true;
    pos = colon + 1;
  }
}

// IPv6-full, IPv6-comp, IPv6v4-full, IPv6v4-comp (RFC 5321 §4.1.3): a "::"
// stands for at least two groups, so at most six others may be written.
bool is_ipv6(std::string_view s) {
  std::size_t gap = s.find("::");
  int left = 0;
  int right = 0;
  if (gap == std::string_view::npos) return count_groups(s, true, left) && left == 8;
  if (s.find("::", gap + 1) != std::string_view::npos) return false;
  return count_groups(s.substr(0, gap), false, left) &&
         count_groups(s.substr(gap + 2), true, right) && left + right <= 6;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_general_literal(std::string_view s) {
  std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  std::string_view tag = s.substr(0, colon);
  if (tag.back() == '-' || tag.front() == '-') return false;
  for (char c : tag) {
    if (!is_alnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  for (char c : s.substr(colon + 1)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || (u >= 91 && u <= 93)) return false;  // no "[", "\", "]"
  }
  return true;
}

// Continuation octets 0x80..0xBF, the first within [low, high].
bool continuation(std::string_view s, std::size_t& i, int count, unsigned low, unsigned high) {
  for (int k = 0; k < count; ++k) {
    if (++i >= s.size()) return false;
    auto c = static_cast<unsigned char>(s[i]);
    unsigned lo = k == 0 ? low : 0x80;
    unsigned hi = k == 0 ? high : 0xBF;
    if (c < lo || c > hi) return false;
  }
  return true;
}

}  // namespace

bool is_valid_domain(std::string_view domain, bool allow_utf8) {
  if (domain.empty() || domain.size() > 255) return false;
  std::size_t pos = 0;
  while (true) {
    std::size_t dot = domain.find('.', pos);
    std::string_view label = domain.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      auto u = static_cast<unsigned char>(c);
      if (!is_alnum(u) && c != '-' && !(allow_utf8 && u >= 0x80)) return false;
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return !allow_utf8 || is_valid_utf8(domain);
}

bool is_valid_address_literal(std::string_view literal) {
  if (literal.size() < 3 || literal.front() != '[' || literal.back() != ']') return false;
  std::string_view inner = literal.substr(1, literal.size() - 2);
  if (is_ipv4(inner)) return true;
  if (iequals_prefix(inner, "ipv6:")) return is_ipv6(inner.substr(5));
  return is_general_literal(inner);
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool ok = true;
    if (c < 0x80) continue;
    if (c >= 0xC2 && c <= 0xDF) ok = continuation(s, i, 1, 0x80, 0xBF);
    else if (c == 0xE0) ok = continuation(s, i, 2, 0xA0, 0xBF);
    else if (c == 0xED) ok = continuation(s, i, 2, 0x80, 0x9F);
    else if (c >= 0xE1 && c <= 0xEF) ok = continuation(s, i, 2, 0x80, 0xBF);
    else if (c == 0xF0) ok = continuation(s, i, 3, 0x90, 0xBF);
    else if (c >= 0xF1 && c <= 0xF3) ok = continuation(s, i, 3, 0x80, 0xBF);
    else if (c == 0xF4) ok = continuation(s, i, 3, 0x80, 0x8F);
    else ok = false;
    if (!ok) return false;
  }
  return true;
}

}  // namespace pillarbox::smtp
