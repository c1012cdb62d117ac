// Directory input rules. Messages quote the offending input and say what is
// allowed, since the CLI and the admin API show them unchanged.
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Length of the valid UTF-8 sequence at text[i], or 0 (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = at(i);
  if (b < 0x80) return 1;
  std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
  if (n == 0 || b > 0xF4 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  const unsigned char c = at(i + 1);
  if ((b == 0xE0 && c < 0xA0) || (b == 0xED && c > 0x9F) || (b == 0xF0 && c < 0x90) || (b == 0xF4 && c > 0x8F))
    return 0;
  return n;
}

}  // namespace

Expected<void> check_name(std::string_view kind, std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) ok = ok && is_name_char(c);
  if (!ok) {
    return fail(ErrorCode::InvalidInput, "invalid " + std::string(kind) + " name " + quoted(name) +
                                             ": use 1-32 letters, digits, '.', '_' or '-'");
  }
  if (is_reserved_target(name)) {
    return fail(ErrorCode::InvalidInput, std::string(kind) + " name " + quoted(name) +
                                             " is reserved: it is a special mapping target");
  }
  return {};
}

Expected<void> check_comment(std::string_view comment) {
  if (comment.find_first_of("\r\n") != std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "comment must be one line");
  std::size_t n = utf8_length(comment);
  if (n > kMaxComment) {
    return fail(ErrorCode::InvalidInput, "comment too long: " + std::to_string(n) +
                                             " characters, at most " + std::to_string(kMaxComment));
  }
  return {};
}

Expected<void> check_domain(std::string_view name, bool allow_wildcards) {
  bool ok = !name.empty() && name.size() <= 253;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      ok = ok && label > 0;
      label = 0;
    } else {
      ok = ok && (is_label_char(c) || (allow_wildcards && (c == '*' || c == '?')));
      ok = ok && ++label <= 63;
    }
  }
  ok = ok && label > 0;
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid domain " + quoted(name) +
                    (allow_wildcards ? ": use labels of letters, digits, '-', '*' or '?' joined by '.'"
                                     : ": use labels of letters, digits or '-' joined by '.'"));
  }
  return {};
}

Expected<void> check_address(std::string_view what, std::string_view address) {
  bool ok = !address.empty() && address.size() <= kMaxAddress;
  for (char c : address) {
    auto byte = static_cast<unsigned char>(c);
    ok = ok && byte > 0x20 && byte != 0x7f && c != '<' && c != '>' && c != ',' && c != ';';
  }
  if (auto at = address.rfind('@'); at != std::string_view::npos) {
    ok = ok && at > 0 && at + 1 < address.size();
  }
  if (!ok) {
    return fail(ErrorCode::InvalidInput, "invalid " + std::string(what) + " " + quoted(address) +
                                             ": use a local name or name@domain, without spaces");
  }
  return {};
}

bool is_reserved_target(std::string_view name) {
  std::string n = to_lower(name);
  return n == "remote" || n == "no-one";
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      if (text[i] != '\0') out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string trim(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r' || text[b] == '\n')) ++b;
  while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r' || text[e - 1] == '\n')) --e;
  return std::string(text.substr(b, e - b));
}

}  // namespace pillarbox::store
