// IMAP response formatting (writer.hpp).
#include "proto/imap/writer.hpp"

#include "proto/imap/mutf7.hpp"
#include "proto/imap/reader.hpp"

namespace pillarbox::imap {

namespace {

// Quoted strings longer than this are sent as literals: clients handle both,
// and a literal needs no escaping pass on the client side.
constexpr std::size_t kMaxQuoted = 1024;

bool quotable(std::string_view s) {
  if (s.size() > kMaxQuoted) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u == '\r' || u == '\n' || u >= 0x80 || u == 0) return false;
  }
  return true;
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

std::string status_line(std::string_view prefix, Status status, std::string_view text,
                        const std::optional<ResponseCode>& code) {
  std::string out(prefix);
  out += ' ';
  out += status_text(status);
  if (code) {
    out += " [";
    out += one_line(code->text);
    out += ']';
  }
  out += ' ';
  out += one_line(text);
  out += "\r\n";
  return out;
}

}  // namespace

std::string_view status_text(Status status) {
  switch (status) {
    case Status::Ok: return "OK";
    case Status::No: return "NO";
    case Status::Bad: return "BAD";
    case Status::Bye: return "BYE";
    case Status::PreAuth: return "PREAUTH";
  }
  return "BAD";
}

std::string quoted_or_literal(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

void append_string(std::string& out, std::string_view s) {
  std::string clean;
  if (s.find('\0') != std::string_view::npos) {
    for (char c : s) {
      if (c != '\0') clean += c;
    }
    s = clean;
  }
  if (quotable(s)) {
    out += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
    return;
  }
  out += '{';
  out += std::to_string(s.size());
  out += "}\r\n";
  out += s;
}

void append_nstring(std::string& out, const std::optional<std::string>& s) {
  if (!s) {
    out += "NIL";
    return;
  }
  append_string(out, *s);
}

void append_astring(std::string& out, std::string_view s) {
  bool atom = !s.empty() && ascii_upper(s) != "NIL";
  for (char c : s) atom = atom && is_astring_char(c);
  if (atom) {
    out += s;
  } else {
    append_string(out, s);
  }
}

void append_mailbox(std::string& out, std::string_view utf8_name) {
  append_astring(out, encode_mutf7_lossy(utf8_name));
}

void append_flag_list(std::string& out, const std::vector<std::string>& flags) {
  out += '(';
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (i > 0) out += ' ';
    out += flags[i];
  }
  out += ')';
}

void append_date_time(std::string& out, const DateTime& dt) {
  out += '"';
  out += format_date_time(dt);
  out += '"';
}

std::string tagged(std::string_view tag, Status status, std::string_view text,
                   const std::optional<ResponseCode>& code) {
  return status_line(tag, status, text, code);
}

std::string untagged(Status status, std::string_view text, const std::optional<ResponseCode>& code) {
  return status_line("*", status, text, code);
}

std::string continuation(std::string_view text) { return "+ " + one_line(text) + "\r\n"; }

std::string untagged_number(std::uint32_t n, std::string_view name) {
  return "* " + std::to_string(n) + " " + std::string(name) + "\r\n";
}

}  // namespace pillarbox::imap
