// IMAP string forms (RFC 3501 §4.3, §9 "string"/"nstring"): quoted strings
// with "\" escapes, literals for what a quoted string cannot hold. It does
// not produce literal8 or UTF8=ACCEPT forms.
#include "proto/mime/imap_form.hpp"

#include "proto/mime/codec.hpp"

namespace pillarbox::mime {

std::string imap_quote(std::string_view text) {
  bool literal = false;
  std::size_t nuls = 0;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n' || u >= 0x80) literal = true;
    if (c == '\0') {
      literal = true;
      ++nuls;
    }
  }
  std::string out;
  if (literal) {
    // No IMAP string may carry NUL; U+FFFD stands in for it.
    const std::size_t size = text.size() + nuls * 2;
    out.reserve(size + 24);
    out += '{' + std::to_string(size) + "}\r\n";
    for (char c : text) {
      if (c == '\0') out += "\xEF\xBF\xBD";
      else out += c;
    }
    return out;
  }
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string imap_quote(std::nullopt_t) { return "NIL"; }

std::string imap_nstring(const std::optional<std::string>& text) {
  return text ? imap_quote(*text) : std::string("NIL");
}

namespace {

std::string header_text(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') clean += c;
  }
  auto utf8 = to_utf8(clean, "");  // never fails for the empty charset
  return utf8 ? std::move(*utf8) : repair_utf8(clean);
}

}  // namespace

std::string imap_quote_header(std::string_view text) { return imap_quote(header_text(text)); }

std::string imap_quote_subject(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !clean.empty();
      continue;
    }
    if (space) clean += ' ';
    space = false;
    clean += c;
  }
  return imap_quote(header_text(clean));
}

}  // namespace pillarbox::mime
