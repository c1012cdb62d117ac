// IMAP command parser (RFC 3501 §6 and §9; RFC 7888, 7162, 4315, 6851, 5161,
// 2971, 4959, 3691, 2342, 9208, 2177, 6154, 5258): one command as
// CommandFramer produced it in, a Command value (command.hpp) or an error
// out. Pure: whether the command is allowed in the current state, and what
// its arguments name, is the engine's business.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/imap/command.hpp"

namespace pillarbox::imap {

// Errors carry ErrorCode::InvalidInput and, as message, the text to put
// after "tag BAD " (or "* BAD " when command_tag() finds no tag): "Missing
// tag", "Missing command", "Unknown command", "Missing argument",
// "Unexpected extra arguments", "Invalid sequence set", "Invalid date",
// "Unbalanced parentheses", "Invalid literal", "Unknown FETCH attribute",
// "Unknown SEARCH key", ... Names are case-insensitive; "UID" takes COPY,
// MOVE, FETCH, SEARCH, STORE and EXPUNGE.
Expected<Command> parse_command(std::string_view text);

}  // namespace pillarbox::imap
