// Limits of the IMAP command framer (framer.hpp) and session (session.hpp).
// Plain values chosen by the host (imapd) from its configuration; nothing
// here reads configuration. RFC 7162 §4 asks servers to accept command lines
// of at least 8192 octets.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pillarbox::imap {

struct Limits {
  // Octets of one line without its CRLF (a command with literals has several).
  std::size_t max_line = 65536;
  // Octets of one literal: the message size limit, for APPEND.
  std::uint64_t max_literal = 64ull * 1024 * 1024;
  // Octets of a whole command (lines and literals together).
  std::uint64_t max_command = 64ull * 1024 * 1024 + 1024 * 1024;
  // BAD replies a session may earn before "* BYE Too many invalid commands".
  int max_errors = 20;
};

}  // namespace pillarbox::imap
