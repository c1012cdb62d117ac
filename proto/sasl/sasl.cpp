// base64 and SASL PLAIN decoding for AUTH (RFC 4648 §4, RFC 4616 §2).
#include "proto/sasl/sasl.hpp"

#include <cstdint>

namespace pillarbox::sasl {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const std::size_t digits = i + 4 == text.size() ? 4 - pad : 4;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int v = j < digits ? value_of(text[i + j]) : 0;
      if (v < 0) return std::nullopt;  // a foreign octet, or "=" before the padding
      group = group << 6 | static_cast<std::uint32_t>(v);
    }
    out += static_cast<char>(group >> 16 & 0xFF);
    if (digits > 2) out += static_cast<char>(group >> 8 & 0xFF);
    if (digits > 3) out += static_cast<char>(group & 0xFF);
    // Set bits under the padding: two texts would decode alike, so neither is
    // accepted (RFC 4648 §3.5 lets decoders reject them).
    if ((digits == 2 && (group & 0xFFFF) != 0) || (digits == 3 && (group & 0xFF) != 0)) {
      return std::nullopt;
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = group << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? kAlphabet[group >> (18 - 6 * j) & 0x3F] : '=';
    }
  }
  return out;
}

std::optional<PlainCredentials> parse_plain(std::string_view message) {
  const std::size_t first = message.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = message.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (message.find('\0', second + 1) != std::string_view::npos) return std::nullopt;
  PlainCredentials creds{std::string(message.substr(0, first)),
                         std::string(message.substr(first + 1, second - first - 1)),
                         std::string(message.substr(second + 1))};
  if (creds.user.empty() || creds.password.empty()) return std::nullopt;
  return creds;
}

}  // namespace pillarbox::sasl
