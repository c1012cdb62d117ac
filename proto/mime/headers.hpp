// Reading one header block (RFC 5322 §2.2, §2.2.3 unfolding, §3.6) from a
// region of the raw message, with exact offsets. It does not interpret any
// field; content.hpp and address.hpp do that.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "proto/mime/message.hpp"

namespace pillarbox::mime {

struct HeaderBlock {
  std::vector<Header> headers;
  std::size_t body_start = 0;  // just past the blank line, or `end` when there is none
};

// Reads the header block of raw[start, end). Lines end in LF or CRLF. A line
// starting with SP/HT continues the previous field; a line that is no field
// (no colon, or a name with spaces or controls) is skipped together with its
// continuation lines. Fails with TooBig when the block exceeds `max_bytes`.
Expected<HeaderBlock> read_headers(std::string_view raw, std::size_t start, std::size_t end,
                                   std::size_t max_bytes);

// Where the line starting at `pos` ends: `eol` is the first byte of its line
// break (or `end`), `next` the first byte of the following line.
struct LineEnd {
  std::size_t eol;
  std::size_t next;
};
LineEnd line_end(std::string_view raw, std::size_t pos, std::size_t end);

}  // namespace pillarbox::mime
