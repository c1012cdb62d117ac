// IMAP token reader (reader.hpp, RFC 3501 §4 data formats and §9).
// Strict about separators (exactly one SP) so that what the engine echoes
// back is what the client meant; quoted strings accept only "\\" and "\""
// escapes and no CR, LF or NUL (§4.3).
#include "proto/imap/reader.hpp"

namespace pillarbox::imap {

namespace {

Unexpected bad(std::string message) { return fail(ErrorCode::InvalidInput, std::move(message)); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' && c != ']';
}

bool is_astring_char(char c) { return c == ']' || is_atom_char(c); }

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

bool Reader::accept(char c) {
  if (at_end() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool Reader::accept_word(std::string_view word) {
  if (text_.size() - pos_ < word.size()) return false;
  if (ascii_upper(text_.substr(pos_, word.size())) != ascii_upper(word)) return false;
  std::size_t after = pos_ + word.size();
  if (after < text_.size() && is_atom_char(text_[after]) && is_atom_char(word.back())) return false;
  pos_ = after;
  return true;
}

Expected<void> Reader::space() {
  if (at_end()) return bad("Missing argument");
  if (!accept(' ')) return bad("Expected space");
  if (at_end()) return bad("Missing argument");
  return {};
}

Expected<void> Reader::expect(char c) {
  if (accept(c)) return {};
  if (at_end()) return bad(c == ')' ? "Unbalanced parentheses" : "Missing argument");
  return bad(std::string("Expected '") + c + "'");
}

Expected<void> Reader::end() {
  if (!at_end()) return bad("Unexpected extra arguments");
  return {};
}

Expected<std::string> Reader::atom() {
  std::size_t start = pos_;
  while (!at_end() && is_atom_char(text_[pos_])) ++pos_;
  if (pos_ == start) return bad(at_end() ? "Missing argument" : "Invalid atom");
  return std::string(text_.substr(start, pos_ - start));
}

Expected<std::string> Reader::astring_atom() {
  std::size_t start = pos_;
  while (!at_end() && is_astring_char(text_[pos_])) ++pos_;
  if (pos_ == start) return bad(at_end() ? "Missing argument" : "Invalid argument");
  return std::string(text_.substr(start, pos_ - start));
}

Expected<std::uint64_t> Reader::number64() {
  std::size_t start = pos_;
  std::uint64_t value = 0;
  while (!at_end() && is_digit(text_[pos_])) {
    auto d = static_cast<std::uint64_t>(text_[pos_] - '0');
    if (value > (0x7fffffffffffffffull - d) / 10) return bad("Number too large");
    value = value * 10 + d;
    ++pos_;
  }
  if (pos_ == start) return bad(at_end() ? "Missing argument" : "Invalid number");
  return value;
}

Expected<std::uint32_t> Reader::number() {
  auto n = number64();
  if (!n) return Unexpected{n.error()};
  if (*n > 0xffffffffull) return bad("Number too large");
  return static_cast<std::uint32_t>(*n);
}

Expected<std::uint32_t> Reader::nz_number() {
  auto n = number();
  if (n && *n == 0) return bad("Invalid number");
  return n;
}

Expected<std::string> Reader::quoted() {
  if (!accept('"')) return bad(at_end() ? "Missing argument" : "Expected string");
  std::string out;
  while (!at_end()) {
    char c = text_[pos_++];
    if (c == '"') return out;
    if (c == '\\') {
      if (at_end() || (text_[pos_] != '\\' && text_[pos_] != '"')) return bad("Invalid quoted string");
      out += text_[pos_++];
    } else if (c == '\r' || c == '\n' || c == '\0') {
      return bad("Invalid quoted string");
    } else {
      out += c;
    }
  }
  return bad("Unterminated quoted string");
}

Expected<std::string> Reader::literal() {
  if (!accept('{')) return bad(at_end() ? "Missing argument" : "Expected string");
  std::size_t start = pos_;
  std::uint64_t size = 0;
  while (!at_end() && is_digit(text_[pos_])) {
    size = size * 10 + static_cast<std::uint64_t>(text_[pos_] - '0');
    if (size > 0xffffffffull) return bad("Invalid literal");
    ++pos_;
  }
  if (pos_ == start) return bad("Invalid literal");
  accept('+');
  if (!accept('}') || !accept('\r') || !accept('\n')) return bad("Invalid literal");
  if (text_.size() - pos_ < size) return bad("Invalid literal");
  std::string out(text_.substr(pos_, static_cast<std::size_t>(size)));
  pos_ += static_cast<std::size_t>(size);
  if (out.find('\0') != std::string::npos) return bad("NUL in literal");
  return out;
}

Expected<std::string> Reader::string() {
  if (peek() == '{') return literal();
  return quoted();
}

Expected<std::string> Reader::astring() {
  if (peek() == '{' || peek() == '"') return string();
  return astring_atom();
}

Expected<std::optional<std::string>> Reader::nstring() {
  if (accept_word("NIL")) return std::optional<std::string>();
  auto s = string();
  if (!s) return Unexpected{s.error()};
  return std::optional<std::string>(std::move(*s));
}

Expected<std::string> Reader::mailbox() {
  auto s = astring();
  if (s && ascii_upper(*s) == "INBOX") return std::string("INBOX");
  return s;
}

Expected<std::string> Reader::list_mailbox() {
  if (peek() == '{' || peek() == '"') return string();
  std::size_t start = pos_;
  while (!at_end() && (is_astring_char(text_[pos_]) || text_[pos_] == '%' || text_[pos_] == '*')) ++pos_;
  if (pos_ == start) return bad(at_end() ? "Missing argument" : "Invalid mailbox pattern");
  return std::string(text_.substr(start, pos_ - start));
}

Expected<SequenceSet> Reader::sequence_set() {
  std::size_t start = pos_;
  while (!at_end() && (is_digit(text_[pos_]) || text_[pos_] == ':' || text_[pos_] == ',' || text_[pos_] == '*')) {
    ++pos_;
  }
  if (pos_ == start && at_end()) return bad("Missing argument");
  if (!at_end() && is_atom_char(text_[pos_])) return bad("Invalid sequence set");
  return parse_sequence_set(text_.substr(start, pos_ - start));
}

Expected<std::string> Reader::flag() {
  if (accept('\\')) {
    auto a = atom();
    if (!a) return bad("Invalid flag");
    return "\\" + *a;
  }
  auto a = atom();
  if (!a) return bad(at_end() ? "Missing argument" : "Invalid flag");
  return a;
}

Expected<std::vector<std::string>> Reader::flag_list() {
  if (!accept('(')) return bad(at_end() ? "Missing argument" : "Expected flag list");
  std::vector<std::string> flags;
  if (accept(')')) return flags;
  while (true) {
    auto f = flag();
    if (!f) return Unexpected{f.error()};
    flags.push_back(std::move(*f));
    if (accept(')')) return flags;
    if (at_end()) return bad("Unbalanced parentheses");
    if (auto s = space(); !s) return Unexpected{s.error()};
  }
}

}  // namespace pillarbox::imap
