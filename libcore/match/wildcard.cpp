// DOS wildcards as a bit-parallel NFA (Shift-And with a self-loop for '*'):
// bit i of the state means "the first i pattern characters are matched", so
// one pass over the text decides, whatever the pattern looks like.
#include "libcore/match/wildcard.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace pillarbox::match {
namespace {

// Undecodable bytes become U+DC80..U+DCFF (never produced by valid UTF-8), so
// they still compare equal to themselves and count as one character each.
std::vector<char32_t> decode_folded(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back((b >= 'A' && b <= 'Z') ? b - 'A' + 'a' : b);
      ++i;
      continue;
    }
    const size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    char32_t cp = len == 4 ? (b & 0x07u) : len == 3 ? (b & 0x0Fu) : (b & 0x1Fu);
    bool ok = len != 0 && i + len <= s.size() && b <= 0xF4;
    for (size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      ok = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0xDC00 + b);
      ++i;
    }
  }
  return out;
}

using Bits = std::vector<uint64_t>;

void set_bit(Bits& bits, size_t i) { bits[i / 64] |= uint64_t{1} << (i % 64); }
bool test_bit(const Bits& bits, size_t i) { return (bits[i / 64] >> (i % 64)) & 1u; }

// out = (a & b) << 1, across words.
void and_shift(const Bits& a, const Bits& b, Bits& out) {
  uint64_t carry = 0;
  for (size_t w = 0; w < a.size(); ++w) {
    const uint64_t v = a[w] & b[w];
    out[w] = (v << 1) | carry;
    carry = v >> 63;
  }
}

}  // namespace

bool has_wildcard(std::string_view text) {
  return text.find_first_of("*?") != std::string_view::npos;
}

bool wildcard_match(std::string_view pattern_text, std::string_view text_in) {
  // Runs of '*' are one '*': then a single closure step below suffices.
  std::vector<char32_t> pattern;
  for (char32_t c : decode_folded(pattern_text)) {
    if (c == U'*' && !pattern.empty() && pattern.back() == U'*') continue;
    pattern.push_back(c);
  }
  const std::vector<char32_t> text = decode_folded(text_in);
  const size_t m = pattern.size();
  const size_t words = m / 64 + 1;  // bits 0..m

  Bits star(words), any(words);
  Bits ascii(128 * words);  // row c: positions holding ASCII character c
  std::vector<std::pair<char32_t, size_t>> others;  // non-ASCII literals
  for (size_t i = 0; i < m; ++i) {
    const char32_t c = pattern[i];
    if (c == U'*') set_bit(star, i);
    else if (c == U'?') set_bit(any, i);
    else if (c < 128) ascii[c * words + i / 64] |= uint64_t{1} << (i % 64);
    else others.emplace_back(c, i);
  }

  Bits state(words), next(words), accept(words), tmp(words);
  set_bit(state, 0);
  auto close_stars = [&](Bits& s) {  // a '*' may match the empty run
    and_shift(s, star, tmp);
    for (size_t w = 0; w < words; ++w) s[w] |= tmp[w];
  };
  close_stars(state);

  for (char32_t c : text) {
    if (c < 128) {
      for (size_t w = 0; w < words; ++w) accept[w] = any[w] | ascii[c * words + w];
    } else {
      accept = any;
      for (const auto& [oc, pos] : others) {
        if (oc == c) set_bit(accept, pos);
      }
    }
    and_shift(state, accept, next);
    bool alive = false;
    for (size_t w = 0; w < words; ++w) {
      next[w] |= state[w] & star[w];  // '*' swallows this character
      alive = alive || next[w] != 0;
    }
    if (!alive) return false;
    close_stars(next);
    std::swap(state, next);
  }
  return test_bit(state, m);
}

}  // namespace pillarbox::match
