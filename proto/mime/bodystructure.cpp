// IMAP BODY and BODYSTRUCTURE (RFC 3501 §7.4.2, §9 "body") from a part tree,
// in Dovecot's spelling: text parts without a charset get ("charset"
// "us-ascii"), an empty multipart gets one empty text/plain part, parameter
// lists are NIL when empty. Parameter values that are not ASCII are written
// back in RFC 2231 form (name* "utf-8''%XX") so that 7-bit clients can read them.
#include "proto/mime/codec.hpp"
#include "proto/mime/imap_form.hpp"

namespace pillarbox::mime {

namespace {

// What an empty multipart shows instead of its missing parts (RFC 3501
// requires at least one), as Dovecot writes it.
constexpr std::string_view kEmptyPart = "\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0";
constexpr std::string_view kEmptyExtension = " NIL NIL NIL NIL";

std::string nstring(const std::string& s) { return s.empty() ? std::string("NIL") : imap_quote_header(s); }

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// RFC 2231 §7 attribute-char: everything else is percent-encoded.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kSpecials = "*'%()<>@,;:\\\"/[]?=";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f && kSpecials.find(c) == std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

void write_params(std::string& out, const Params& params, bool default_charset) {
  bool charset = false;
  for (const auto& [name, value] : params) charset = charset || name == "charset";
  if (params.empty() && !default_charset) {
    out += "NIL";
    return;
  }
  out += '(';
  bool first = true;
  for (const auto& [name, value] : params) {
    if (!first) out += ' ';
    first = false;
    auto utf8 = to_utf8(value, "");  // plain values may hold raw 8-bit bytes
    const std::string text = utf8 ? std::move(*utf8) : repair_utf8(value);
    if (is_ascii(text)) {
      out += imap_quote_header(name) + ' ' + imap_quote(text);
    } else {
      out += imap_quote_header(name + '*') + ' ' + imap_quote("utf-8''" + percent_encode(text));
    }
  }
  if (default_charset && !charset) out += first ? R"("charset" "us-ascii")" : R"( "charset" "us-ascii")";
  out += ')';
}

// body-ext-1part/body-ext-mpart after the MD5 or parameters: disposition,
// language, location.
void write_common_extension(std::string& out, const Part& p) {
  out += ' ';
  if (p.disposition.empty()) {
    out += "NIL";
  } else {
    out += '(' + imap_quote(p.disposition) + ' ';
    write_params(out, p.disposition_params, false);
    out += ')';
  }
  out += ' ';
  if (p.language.empty()) {
    out += "NIL";
  } else {
    out += '(';
    for (std::size_t i = 0; i < p.language.size(); ++i) {
      if (i > 0) out += ' ';
      out += imap_quote_header(p.language[i]);
    }
    out += ')';
  }
  out += ' ' + nstring(p.location);
}

void write_part(std::string& out, const Part& p, bool extended);

void write_multipart(std::string& out, const Part& p, bool extended) {
  if (p.children.empty()) {
    out += '(';
    out += kEmptyPart;
    if (extended) out += kEmptyExtension;
    out += ')';
  }
  for (const auto& child : p.children) {
    out += '(';
    write_part(out, child, extended);
    out += ')';
  }
  out += ' ' + imap_quote(p.subtype);
  if (!extended) return;
  out += ' ';
  write_params(out, p.params, false);
  write_common_extension(out, p);
}

void write_single(std::string& out, const Part& p, bool extended) {
  const bool text = p.type == "text";
  out += imap_quote(p.type) + ' ' + imap_quote(p.subtype) + ' ';
  write_params(out, p.params, text);
  out += ' ' + nstring(p.id) + ' ' + nstring(p.description) + ' ' + imap_quote(p.encoding) + ' ' +
         std::to_string(p.body_size());
  if (text) {
    out += ' ' + std::to_string(p.lines);
  } else if (p.is_message()) {
    static const Part kEmpty;
    const Part& inner = p.children.empty() ? kEmpty : p.children.front();
    out += ' ' + write_envelope(inner.headers) + " (";
    write_part(out, inner, extended);
    out += ") " + std::to_string(p.lines);
  }
  if (!extended) return;
  out += ' ' + nstring(p.md5);
  write_common_extension(out, p);
}

void write_part(std::string& out, const Part& p, bool extended) {
  if (p.is_multipart()) {
    write_multipart(out, p, extended);
  } else {
    write_single(out, p, extended);
  }
}

}  // namespace

std::string write_body(const Part& part, bool extended) {
  std::string out = "(";
  write_part(out, part, extended);
  out += ')';
  return out;
}

}  // namespace pillarbox::mime
