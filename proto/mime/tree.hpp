// The part tree of a message: header blocks, RFC 2046 §5.1 multipart bodies
// split at their boundary delimiters, RFC 2046 §5.2.1 message/rfc822 bodies
// parsed as messages, with exact byte offsets and the depth and part-count
// limits. It does not decode bodies or write IMAP forms.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/mime/message.hpp"

namespace pillarbox::mime {

// The root part of `raw` (header_start 0, body_end raw.size()). Fails only
// with TooBig (Limits::max_depth, max_parts, max_header_bytes).
Expected<Part> parse_tree(std::string_view raw, const Limits& limits);

}  // namespace pillarbox::mime
