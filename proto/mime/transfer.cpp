// Content-Transfer-Encoding decoders (RFC 2045 §6.7 quoted-printable, §6.8
// base64); see codec.hpp. Deliberately lenient, like mail readers: they never
// fail, and they do not handle x-uuencode or other private encodings.
#include "proto/mime/codec.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Characters outside the alphabet (line breaks, padding, junk) are skipped;
// a trailing group of 2 or 3 characters yields 1 or 2 bytes.
std::string decode_base64(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  unsigned int bits = 0;
  int count = 0;
  for (char c : in) {
    const int v = base64_value(c);
    if (v < 0) continue;
    bits = (bits << 6) | static_cast<unsigned int>(v);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xFF));
      out.push_back(static_cast<char>((bits >> 8) & 0xFF));
      out.push_back(static_cast<char>(bits & 0xFF));
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) {
    out.push_back(static_cast<char>((bits >> 4) & 0xFF));
  } else if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xFF));
    out.push_back(static_cast<char>((bits >> 2) & 0xFF));
  }
  return out;
}

// Trailing whitespace on each line was possibly added in transport and is
// dropped (rule 3); "=" before a line break is a soft break (rule 5).
std::string decode_qp(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t lf = in.find('\n', pos);
    const bool has_break = lf != std::string_view::npos;
    if (!has_break) lf = in.size();
    std::string_view line = in.substr(pos, lf - pos);
    const bool crlf = !line.empty() && line.back() == '\r';
    if (crlf) line.remove_suffix(1);
    while (!line.empty() && is_wsp(line.back())) line.remove_suffix(1);
    bool soft = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '=') {
        out.push_back(line[i]);
      } else if (i + 1 == line.size()) {
        soft = true;
      } else if (i + 2 < line.size() && hex_value(line[i + 1]) >= 0 &&
                 hex_value(line[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex_value(line[i + 1]) * 16 + hex_value(line[i + 2])));
        i += 2;
      } else {
        out.push_back('=');
      }
    }
    if (has_break && !soft) out.append(crlf ? "\r\n" : "\n");
    pos = has_break ? lf + 1 : in.size();
  }
  return out;
}

}  // namespace

std::string decode_transfer(std::string_view body, std::string_view encoding) {
  const std::string_view enc = trim(encoding);
  if (iequals(enc, "base64")) return decode_base64(body);
  if (iequals(enc, "quoted-printable")) return decode_qp(body);
  return std::string(body);
}

}  // namespace pillarbox::mime
