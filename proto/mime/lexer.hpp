// A cursor over one structured header value (RFC 5322 §3.2: CFWS, atoms,
// quoted strings, domain literals). Shared by the address and Content-*
// parsers; it never fails, it only stops where the syntax stops.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pillarbox::mime {

// RFC 5322 specials, minus '.' (kept inside atoms so obs-phrase and
// dot-atoms read as single words).
inline constexpr std::string_view kAddressSpecials = "()<>[]:;@\\,\"";
// RFC 2045 tspecials.
inline constexpr std::string_view kMimeSpecials = "()<>@,;:\\\"/[]?=";

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) { pos_ = pos; }
  void advance() { if (!at_end()) ++pos_; }
  std::string_view rest() const { return text_.substr(pos_ < text_.size() ? pos_ : text_.size()); }

  // Skips whitespace and (nested) comments. The text of the last comment
  // skipped is kept in last_comment() until clear_comment().
  void skip_cfws();
  const std::string& last_comment() const { return comment_; }
  void clear_comment() { comment_.clear(); }

  // At '"': the unescaped content; an unterminated string runs to the end.
  std::string quoted_string();
  // A run of characters that are not whitespace, controls or in `specials`;
  // empty when none.
  std::string atom(std::string_view specials);
  // At '[': the literal, brackets included.
  std::string domain_literal();
  // Skips to the next occurrence of one of `stops` outside quoted strings
  // and comments, leaving the cursor on it (or at the end).
  void skip_until(std::string_view stops);

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::string comment_;
};

}  // namespace pillarbox::mime
