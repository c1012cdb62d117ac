// The original message as a report returns it (RFC 3462/6522 third part):
// its header section, and either part in CRLF form when it can travel in a
// MIME body unchanged. It does not decide which part to return (dsn.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pillarbox::dsn {

// The header section of `raw` (LF or CRLF line ends): everything before the
// first empty line, that line excluded; all of `raw` when there is none.
std::string_view header_section(std::string_view raw);

// `text` with every line ending in CRLF (a bare LF becomes CRLF, a missing
// final line break is added), or nullopt when it cannot go into a 7bit/8bit
// MIME body as it is (RFC 2045 §2.8): a NUL, a CR not followed by LF, or a
// line longer than 998 octets. Empty text gives "".
std::optional<std::string> to_crlf_lines(std::string_view text);

}  // namespace pillarbox::dsn
