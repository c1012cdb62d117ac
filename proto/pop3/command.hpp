// POP3 command parser (RFC 1939 §§4-7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034
// AUTH): one command line (CRLF already removed) in, a Command or an Error
// out. Pure: whether the command is allowed now, and whether a message number
// names a message, is the session's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::pop3 {

enum class Verb { User, Pass, Apop, Auth, Stls, Capa, Quit, Stat, List, Retr, Dele, Noop, Rset, Top, Uidl };

// A message number as the client wrote it: digits only, so `text` is safe to
// echo in a reply. `value` saturates at UINT64_MAX (then it names no message).
struct MessageNumber {
  std::uint64_t value = 0;
  std::string text;
};

struct Command {
  Verb verb = Verb::Noop;
  std::string argument;  // USER name, PASS password, APOP name, AUTH mechanism (upper case)
  std::string digest;    // APOP: 32 hex digits, lower case
  std::optional<std::string> initial_response;  // AUTH: still base64; "=" means empty
  std::optional<MessageNumber> message;          // LIST, UIDL (optional); RETR, DELE, TOP
  std::uint64_t lines = 0;                       // TOP: saturates at UINT64_MAX
};

// The verb alone (case-insensitive, RFC 1939 §3), so the session can check
// the state before the arguments. nullopt for an unknown verb.
std::optional<Verb> parse_verb(std::string_view line);

// The whole command. Errors carry ErrorCode::InvalidInput and, as message,
// the reply text without "-ERR ": "Unknown command", "Syntax: RETR msg",
// "Invalid message number", "Invalid line count", "APOP digest must be 32
// hexadecimal digits", ... Arguments are separated by one or more spaces;
// trailing spaces are ignored, except in PASS, whose argument is the rest of
// the line verbatim (RFC 1939 §7 lets a password hold spaces).
Expected<Command> parse_command(std::string_view line);

}  // namespace pillarbox::pop3
