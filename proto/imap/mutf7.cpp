// Modified UTF-7 (mutf7.hpp, RFC 3501 §5.1.3; base64 as RFC 2152 with ","
// for "/"). Decoding rejects non-canonical forms so that a name has exactly
// one wire form: otherwise two spellings could name one mailbox.
#include "proto/imap/mutf7.hpp"

#include <cstdint>
#include <vector>

namespace pillarbox::imap {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64_value(char c) {
  std::size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// One UTF-8 sequence at `pos`; returns the code point or -1 (and advances
// by one octet) when invalid.
long next_utf8(std::string_view s, std::size_t& pos) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(pos);
  if (c < 0x80) {
    ++pos;
    return c;
  }
  std::size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return -1;
  }
  std::uint32_t cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
  for (std::size_t i = 1; i < len; ++i) {
    unsigned char cc = byte(pos + i);
    if ((cc & 0xc0) != 0x80) {
      ++pos;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++pos;
    return -1;
  }
  pos += len;
  return static_cast<long>(cp);
}

void flush_shifted(std::string& out, std::vector<std::uint16_t>& units) {
  if (units.empty()) return;
  out += '&';
  std::uint32_t bits = 0;
  int nbits = 0;
  for (std::uint16_t u : units) {
    bits = (bits << 16) | u;
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out += kAlphabet[(bits >> nbits) & 0x3f];
    }
    bits &= (1u << nbits) - 1;
  }
  if (nbits > 0) out += kAlphabet[(bits << (6 - nbits)) & 0x3f];
  out += '-';
  units.clear();
}

std::string encode(std::string_view utf8, bool& ok, bool lossy) {
  std::string out;
  std::vector<std::uint16_t> units;
  ok = true;
  for (std::size_t pos = 0; pos < utf8.size();) {
    long cp = next_utf8(utf8, pos);
    if (cp < 0) {
      if (!lossy) {
        ok = false;
        return {};
      }
      cp = 0xfffd;
    }
    if (cp >= 0x20 && cp <= 0x7e) {
      flush_shifted(out, units);
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
    } else if (cp < 0x10000) {
      units.push_back(static_cast<std::uint16_t>(cp));
    } else {
      auto v = static_cast<std::uint32_t>(cp) - 0x10000;
      units.push_back(static_cast<std::uint16_t>(0xd800 | (v >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xdc00 | (v & 0x3ff)));
    }
  }
  flush_shifted(out, units);
  return out;
}

// Decodes one shifted run (between "&" and "-") into `out`.
bool decode_run(std::string_view run, std::string& out) {
  std::uint32_t bits = 0;
  int nbits = 0;
  std::uint32_t high = 0;  // a pending high surrogate
  for (char c : run) {
    int v = b64_value(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits < 16) continue;
    nbits -= 16;
    std::uint32_t unit = (bits >> nbits) & 0xffff;
    bits &= (1u << nbits) - 1;
    if (high != 0) {
      if (unit < 0xdc00 || unit > 0xdfff) return false;
      append_utf8(out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
      high = 0;
    } else if (unit >= 0xd800 && unit <= 0xdbff) {
      high = unit;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    } else if (unit == 0 || (unit >= 0x20 && unit <= 0x7e)) {
      return false;  // printable ASCII must be written directly; NUL never
    } else {
      append_utf8(out, unit);
    }
  }
  // Leftover bits: fewer than 6 padding bits, all zero.
  return high == 0 && nbits < 6 && bits == 0;
}

}  // namespace

Expected<std::string> decode_mutf7(std::string_view wire) {
  auto bad = [] { return fail(ErrorCode::InvalidInput, "Invalid modified UTF-7 mailbox name"); };
  std::string out;
  std::size_t run_end = std::string_view::npos;  // just after the last shifted run
  for (std::size_t i = 0; i < wire.size();) {
    char c = wire[i];
    if (c < 0x20 || c > 0x7e) return bad();
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    std::size_t end = wire.find('-', i + 1);
    if (end == std::string_view::npos) return bad();
    if (end == i + 1) {
      out += '&';
    } else if (run_end == i || !decode_run(wire.substr(i + 1, end - i - 1), out)) {
      return bad();  // two adjacent runs are one run written twice
    } else {
      run_end = end + 1;
    }
    i = end + 1;
  }
  return out;
}

Expected<std::string> encode_mutf7(std::string_view utf8) {
  bool ok = true;
  std::string out = encode(utf8, ok, false);
  if (!ok) return fail(ErrorCode::InvalidInput, "Invalid UTF-8 mailbox name");
  return out;
}

std::string encode_mutf7_lossy(std::string_view utf8) {
  bool ok = true;
  return encode(utf8, ok, true);
}

}  // namespace pillarbox::imap
