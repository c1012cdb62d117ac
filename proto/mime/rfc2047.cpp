// RFC 2047 encoded words in header values (see codec.hpp). Lenient in what
// mail needs (words glued to text, lower-case 'q'/'b', RFC 2231 §5 language
// suffixes); strict in what keeps it linear: a word's text ends at its first
// '?' or whitespace, and a charset name is at most 64 bytes.
#include <optional>

#include "proto/mime/codec.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

struct Word {
  std::string charset;
  std::string bytes;  // decoded, still in `charset`
  std::size_t end;    // just past "?="
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// An encoded word "=?charset?e?text?=" starting at `at`, if there is one.
std::optional<Word> parse_word(std::string_view v, std::size_t at) {
  std::size_t p = at + 2;
  const std::size_t cs_start = p;
  while (p < v.size() && v[p] != '?' && !is_space(v[p]) && p - cs_start <= 64) ++p;
  if (p >= v.size() || v[p] != '?' || p == cs_start) return std::nullopt;
  std::string_view charset = v.substr(cs_start, p - cs_start);
  charset = charset.substr(0, charset.find('*'));  // RFC 2231 §5: charset*lang
  if (p + 2 >= v.size() || v[p + 2] != '?') return std::nullopt;
  const char enc = ascii_lower(v[p + 1]);
  if (enc != 'q' && enc != 'b') return std::nullopt;
  const std::size_t text_start = p + 3;
  std::size_t q = text_start;
  while (q < v.size() && v[q] != '?' && !is_space(v[q])) ++q;
  if (q + 1 >= v.size() || v[q] != '?' || v[q + 1] != '=') return std::nullopt;
  const std::string_view text = v.substr(text_start, q - text_start);
  return Word{std::string(charset), enc == 'q' ? decode_q(text) : decode_transfer(text, "base64"),
              q + 2};
}

bool all_space(std::string_view s) {
  for (char c : s) {
    if (!is_space(c)) return false;
  }
  return true;
}

// Plain header text: UTF-8 if it is, else windows-1252.
std::string plain_text(std::string_view s) {
  auto converted = to_utf8(s, "");
  return converted ? std::move(*converted) : repair_utf8(s);
}

// A run of adjacent encoded words in one charset, decoded together.
struct Run {
  std::string charset, bytes;
  std::size_t begin = 0, end = 0;  // raw span, kept for unknown charsets
  bool active = false;

  // Appends the run to `out`; false when its charset is unknown.
  bool flush(std::string_view v, std::string& out) {
    if (!active) return true;
    active = false;
    auto utf8 = to_utf8(bytes, charset);
    if (!utf8) {
      out.append(v.substr(begin, end - begin));
      return false;
    }
    out += *utf8;
    return true;
  }
};

}  // namespace

std::string decode_words(std::string_view v) {
  std::string out;
  Run run;
  std::size_t text_start = 0;  // first byte not yet copied or decoded
  std::size_t pos = 0;
  while ((pos = v.find("=?", pos)) != std::string_view::npos) {
    std::optional<Word> w = parse_word(v, pos);
    if (!w) {
      ++pos;
      continue;
    }
    const std::string_view between = v.substr(text_start, pos - text_start);
    const bool adjacent = run.active && all_space(between);
    if (adjacent && iequals(run.charset, w->charset)) {
      run.bytes += w->bytes;
      run.end = w->end;
    } else {
      // Whitespace between two encoded words is dropped (RFC 2047 §6.2),
      // unless the first is left encoded.
      if (!run.flush(v, out) || !adjacent) out += plain_text(between);
      run = Run{std::move(w->charset), std::move(w->bytes), pos, w->end, true};
    }
    text_start = pos = w->end;
  }
  run.flush(v, out);
  out += plain_text(v.substr(text_start));
  return repair_utf8(out);
}

}  // namespace pillarbox::mime
