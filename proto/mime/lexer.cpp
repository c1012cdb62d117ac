// RFC 5322 §3.2 lexical tokens (see lexer.hpp). Quoted pairs are honoured in
// quoted strings, comments and domain literals; obsolete NUL/CTL handling is
// left to the callers, which pass bytes through.
#include "proto/mime/lexer.hpp"

#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

void Lexer::skip_cfws() {
  while (!at_end()) {
    const char c = text_[pos_];
    if (is_space(c)) {
      ++pos_;
      continue;
    }
    if (c != '(') return;
    // Comments nest (RFC 5322 §3.2.2); the depth counter needs no recursion.
    std::string text;
    std::size_t depth = 0;
    while (!at_end()) {
      const char d = text_[pos_++];
      if (d == '\\' && !at_end()) {
        text.push_back(text_[pos_++]);
      } else if (d == '(') {
        if (depth++ > 0) text.push_back(d);
      } else if (d == ')') {
        if (--depth == 0) break;
        text.push_back(d);
      } else {
        text.push_back(d);
      }
    }
    comment_ = std::string(trim(text));
  }
}

std::string Lexer::quoted_string() {
  std::string out;
  if (peek() != '"') return out;
  ++pos_;
  while (!at_end()) {
    const char c = text_[pos_++];
    if (c == '"') break;
    if (c == '\\' && !at_end()) {
      out.push_back(text_[pos_++]);
    } else if (c != '\r' && c != '\n') {
      out.push_back(c);
    }
  }
  return out;
}

std::string Lexer::atom(std::string_view specials) {
  const std::size_t start = pos_;
  while (!at_end()) {
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c <= ' ' || c == 0x7f || specials.find(static_cast<char>(c)) != std::string_view::npos) break;
    ++pos_;
  }
  return std::string(text_.substr(start, pos_ - start));
}

std::string Lexer::domain_literal() {
  std::string out;
  if (peek() != '[') return out;
  while (!at_end()) {
    const char c = text_[pos_++];
    if (c == '\\' && !at_end()) {
      out.push_back(text_[pos_++]);
      continue;
    }
    if (!is_space(c)) out.push_back(c);
    if (c == ']') break;
  }
  return out;
}

void Lexer::skip_until(std::string_view stops) {
  while (!at_end()) {
    const char c = text_[pos_];
    if (stops.find(c) != std::string_view::npos) return;
    if (c == '"') {
      quoted_string();
    } else if (c == '(') {
      skip_cfws();
    } else {
      ++pos_;
    }
  }
}

}  // namespace pillarbox::mime
