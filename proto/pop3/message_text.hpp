// A stored message as the body of a RETR or TOP response (RFC 1939 §7 RETR,
// TOP). Lines are taken as the store gave them; a bare LF or bare CR counts as
// a line end and goes out as CRLF, so a badly formed message can neither end
// the response early for a client that splits at LF nor produce a line the
// client cannot parse. Dot-stuffing and the final "." are MultilineWriter's.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "proto/pop3/multiline.hpp"

namespace pillarbox::pop3 {

// Writes the lines of `raw` to `out`. With `top_lines`: the header lines, the
// blank line that ends them (when the message has one), then at most
// *top_lines lines of the body. A last line without a line end is written
// with one.
void write_message(std::string_view raw, std::optional<std::size_t> top_lines, MultilineWriter& out);

}  // namespace pillarbox::pop3
