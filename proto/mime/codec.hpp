// Content decoders shared by the parser and by readers of stored parts:
// RFC 2047 encoded words, RFC 2045 §6 transfer encodings, charset conversion
// to UTF-8 (glibc iconv) and UTF-8 repair. Pure functions, thread-safe, never
// throw; they do not parse header structure (see content.hpp, address.hpp).
#pragma once

#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::mime {

// RFC 2047 encoded-words (Q and B) in a header value -> UTF-8. Whitespace
// between adjacent encoded words is dropped; adjacent words in one charset
// are joined before conversion (a character may be split across them).
// Words in an unknown charset are left as written. Raw 8-bit text outside
// encoded words is kept if it is UTF-8, else read as windows-1252. The result
// is always valid UTF-8 without NUL.
std::string decode_words(std::string_view header_value);

// Undoes a Content-Transfer-Encoding: "base64", "quoted-printable"
// (case-insensitive); anything else is returned unchanged. Lenient: bad
// characters in base64 are skipped, bad "=" escapes in QP are kept literally.
std::string decode_transfer(std::string_view body, std::string_view encoding);

// Converts `text` from `charset` to UTF-8. "utf-8", "us-ascii" and an empty
// charset are repaired rather than converted (8-bit text labelled us-ascii is
// read as UTF-8 when valid, else as windows-1252); iso-8859-1 is read as its
// superset windows-1252, as browsers do. Invalid input bytes become U+FFFD.
// Fails with InvalidInput only when the charset is unknown.
Expected<std::string> to_utf8(std::string_view text, std::string_view charset);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF).
bool is_utf8(std::string_view text);

// `text` with every invalid UTF-8 sequence and every NUL replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

}  // namespace pillarbox::mime
