// base64 and SASL PLAIN decoding for AUTH (RFC 4648 §4, RFC 4616 §2).
#include "proto/smtp/sasl.hpp"

namespace pillarbox::smtp {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
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
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    std::size_t data = last ? 4 - padding : 4;
    unsigned value = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int v = j < data ? sextet(text[i + j]) : 0;
      if (v < 0) return std::nullopt;  // also catches "=" before the end
      value = value << 6 | static_cast<unsigned>(v);
    }
    out += static_cast<char>(value >> 16 & 0xFF);
    if (data > 2) out += static_cast<char>(value >> 8 & 0xFF);
    if (data > 3) out += static_cast<char>(value & 0xFF);
    // Non-zero bits under the padding mean the text is not canonical base64.
    if ((data == 2 && (value & 0xFFFF) != 0) || (data == 3 && (value & 0xFF) != 0)) {
      return std::nullopt;
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    unsigned value = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      unsigned byte = j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U;
      value = value << 8 | byte;
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? kAlphabet[value >> (18 - 6 * j) & 0x3F] : '=';
    }
  }
  return out;
}

std::optional<PlainCredentials> parse_plain(std::string_view message) {
  std::size_t first = message.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = message.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (message.find('\0', second + 1) != std::string_view::npos) return std::nullopt;
  PlainCredentials creds{std::string(message.substr(0, first)),
                         std::string(message.substr(first + 1, second - first - 1)),
                         std::string(message.substr(second + 1))};
  if (creds.user.empty() || creds.password.empty()) return std::nullopt;
  return creds;
}

}  // namespace pillarbox::smtp
