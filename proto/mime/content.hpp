// Content-* header fields (RFC 2045 §5-6, RFC 2183, RFC 3282, RFC 2557) and
// MIME parameters with RFC 2231 continuations and charsets, applied to a Part.
// It does not find part boundaries (tree.cpp) or write IMAP forms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/mime/message.hpp"

namespace pillarbox::mime {

struct ContentType {
  std::string type, subtype;  // lower-case; both empty when the value is unusable
  Params params;
};

// "type/subtype; a=b; ...". An unusable type leaves type and subtype empty.
ContentType parse_content_type(std::string_view value);

// "token; a=b; ..." (Content-Disposition): the lower-case token and params.
std::pair<std::string, Params> parse_disposition(std::string_view value);

// The parameter list of a header value positioned after its leading token:
// names lower-cased, RFC 2231 sections joined, extended values percent- and
// charset-decoded to UTF-8. Where both "name" and "name*" appear, the RFC
// 2231 form wins, at the position of the first.
Params parse_params(std::string_view text);

// Content-Language: comma-separated tags.
std::vector<std::string> parse_language(std::string_view value);

// Content-Transfer-Encoding: the lower-case token, or "7bit" if not a token.
std::string parse_encoding(std::string_view value);

// Sets the Content-* fields of `part` from its headers (first occurrence of
// each wins). Without Content-Type the part is `default_type`/`default_subtype`.
void apply_content_headers(Part& part, std::string_view default_type,
                           std::string_view default_subtype);

}  // namespace pillarbox::mime
