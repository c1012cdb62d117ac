// Charset conversion to UTF-8 through glibc iconv, and UTF-8 validation and
// repair (see codec.hpp). A small alias table maps labels seen in mail to
// the superset iconv should use (WHATWG Encoding practice); it does not try
// to guess undeclared charsets beyond "UTF-8 if valid, else windows-1252".
#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <memory>

#include "proto/mime/codec.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at text[i], or 0 if there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

// The iconv name for a charset label: "UTF-8" for UTF-8, "" for ASCII or no
// label, "?" for labels with characters no charset name has.
std::string iconv_name(std::string_view label) {
  std::string name = to_lower(trim(label));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  if (name.size() > 40) return "?";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':' || c == '+';
    if (!ok) return "?";
  }
  if (name == "utf-8" || name == "utf8" || name == "unicode-1-1-utf-8") return "UTF-8";
  if (name.empty() || name == "us-ascii" || name == "ascii" || name == "ansi_x3.4-1968") return "";
  if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "l1" ||
      name == "iso_8859-1" || name == "cp1252" || name == "x-user-defined") {
    return "WINDOWS-1252";
  }
  if (name == "iso-8859-9" || name == "latin5") return "WINDOWS-1254";
  if (name == "iso-8859-11" || name == "tis-620") return "WINDOWS-874";
  if (name == "ks_c_5601-1987" || name == "euc-kr" || name == "korean") return "CP949";
  if (name == "gb2312" || name == "gbk" || name == "x-gbk" || name == "chinese") return "GB18030";
  if (name == "shift_jis" || name == "x-sjis" || name == "sjis" || name == "ms_kanji") return "CP932";
  if (name == "big5") return "BIG5-HKSCS";
  return name;
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

std::string convert(iconv_t cd, std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  char buffer[4096];
  // iconv's prototype takes char** but never writes through the input.
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buffer, sizeof buffer - dst_left);
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ: skip one byte; EINVAL: a truncated sequence at the end.
    const int error = errno;
    out.append(kReplacement);
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    if (error != EILSEQ) break;
    ++in;
    --in_left;
  }
  char* dst = buffer;
  std::size_t dst_left = sizeof buffer;
  iconv(cd, nullptr, nullptr, &dst, &dst_left);  // flush shift state
  out.append(buffer, sizeof buffer - dst_left);
  return out;
}

}  // namespace

bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0 || text[i] == '\0') {
      out.append(kReplacement);
      i += 1;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

Expected<std::string> to_utf8(std::string_view text, std::string_view charset) {
  std::string name = iconv_name(charset);
  if (name == "?") return fail(ErrorCode::InvalidInput, "unknown charset", std::string(charset));
  if (name == "UTF-8") return repair_utf8(text);
  if (name.empty()) {
    // 8-bit text labelled ASCII (or not labelled) is UTF-8 when it can be.
    if (is_utf8(text)) return repair_utf8(text);
    name = "WINDOWS-1252";
  }
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1))) {
    return fail(ErrorCode::InvalidInput, "unknown charset", std::string(charset));
  }
  IconvHandle owner(cd);
  return repair_utf8(convert(cd, text));
}

}  // namespace pillarbox::mime
