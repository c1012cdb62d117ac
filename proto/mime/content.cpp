// Content-* header fields (see content.hpp). Lenient where mail in the wild
// is: unquoted parameter values may hold tspecials such as '=' or '/'
// ("boundary=----=_Part_1"), and junk between parameters is skipped.
#include "proto/mime/content.hpp"

#include <tuple>
#include <utility>

#include "proto/mime/lexer.hpp"
#include "proto/mime/rfc2231.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

// An unquoted value: up to ';', whitespace, a comment or a quote.
std::string bare_value(Lexer& lex) {
  std::string out;
  while (!lex.at_end()) {
    const char c = lex.peek();
    if (c == ';' || c == '(' || c == '"' || is_space(c)) break;
    out.push_back(c);
    lex.advance();
  }
  return out;
}

// RFC 2045 token: US-ASCII only (the Lexer's atoms let 8-bit bytes through).
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

Params parse_params(std::string_view text) {
  Lexer lex(text);
  std::vector<RawParam> raw;
  for (;;) {
    lex.skip_cfws();
    if (lex.at_end()) break;
    if (lex.peek() == ';') {
      lex.advance();
      continue;
    }
    std::string name = lex.atom(kMimeSpecials);
    lex.skip_cfws();
    if (name.empty() || lex.peek() != '=') {
      if (name.empty() && lex.peek() != ';') lex.advance();  // junk: step over it
      lex.skip_until(";");
      continue;
    }
    lex.advance();
    lex.skip_cfws();
    std::string value = lex.peek() == '"' ? lex.quoted_string() : bare_value(lex);
    raw.push_back(RawParam{to_lower(name), std::move(value)});
    lex.skip_until(";");
  }
  return join_params(raw);
}

ContentType parse_content_type(std::string_view value) {
  Lexer lex(value);
  lex.skip_cfws();
  std::string type = lex.atom(kMimeSpecials);
  lex.skip_cfws();
  if (!is_token(type) || lex.peek() != '/') return {};
  lex.advance();
  lex.skip_cfws();
  std::string subtype = lex.atom(kMimeSpecials);
  if (!is_token(subtype)) return {};
  return ContentType{to_lower(type), to_lower(subtype), parse_params(lex.rest())};
}

std::pair<std::string, Params> parse_disposition(std::string_view value) {
  Lexer lex(value);
  lex.skip_cfws();
  std::string token = lex.atom(kMimeSpecials);
  if (!is_token(token)) return {};
  return {to_lower(token), parse_params(lex.rest())};
}

std::vector<std::string> parse_language(std::string_view value) {
  Lexer lex(value);
  std::vector<std::string> out;
  for (;;) {
    lex.skip_cfws();
    if (lex.at_end()) break;
    std::string tag = lex.atom(kMimeSpecials);
    if (!tag.empty()) out.push_back(std::move(tag));
    lex.skip_until(",");
    lex.advance();
  }
  return out;
}

std::string parse_encoding(std::string_view value) {
  Lexer lex(value);
  lex.skip_cfws();
  std::string token = lex.atom(kMimeSpecials);
  return is_token(token) ? to_lower(token) : std::string("7bit");
}

void apply_content_headers(Part& part, std::string_view default_type,
                           std::string_view default_subtype) {
  part.type = std::string(default_type);
  part.subtype = std::string(default_subtype);
  bool type_seen = false, encoding_seen = false, id_seen = false, description_seen = false,
       md5_seen = false, disposition_seen = false, language_seen = false, location_seen = false;
  for (const auto& h : part.headers) {
    if (!istarts_with(h.name, "content-")) continue;
    const std::string name = to_lower(std::string_view(h.name).substr(8));
    auto first = [](bool& seen) { return !std::exchange(seen, true); };
    if (name == "type" && first(type_seen)) {
      ContentType ct = parse_content_type(h.value);
      // RFC 2045 §5.2: an unusable Content-Type means text/plain.
      part.type = ct.type.empty() ? "text" : std::move(ct.type);
      part.subtype = ct.subtype.empty() ? "plain" : std::move(ct.subtype);
      part.params = std::move(ct.params);
    } else if (name == "transfer-encoding" && first(encoding_seen)) {
      part.encoding = parse_encoding(h.value);
    } else if (name == "id" && first(id_seen)) {
      part.id = h.value;
    } else if (name == "description" && first(description_seen)) {
      part.description = h.value;
    } else if (name == "md5" && first(md5_seen)) {
      part.md5 = h.value;
    } else if (name == "disposition" && first(disposition_seen)) {
      std::tie(part.disposition, part.disposition_params) = parse_disposition(h.value);
    } else if (name == "language" && first(language_seen)) {
      part.language = parse_language(h.value);
    } else if (name == "location" && first(location_seen)) {
      part.location = h.value;
    }
  }
}

}  // namespace pillarbox::mime
