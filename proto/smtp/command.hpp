// SMTP command parser (RFC 5321 §4.1.1, RFC 3030 BDAT, RFC 3207 STARTTLS,
// RFC 4954 AUTH): one command line (CRLF already removed) in, a Command or a
// reply_error() out. Pure: whether the command is allowed now is the session's
// business, and so is SMTPUTF8 for a RCPT (it depends on the MAIL before it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/smtp/envelope.hpp"

namespace pillarbox::smtp {

enum class Verb { Ehlo, Helo, Mail, Rcpt, Data, Bdat, Rset, Noop, Quit, Vrfy, Help, StartTls, Auth };

struct Command {
  Verb verb = Verb::Noop;
  std::string argument;   // EHLO/HELO domain; VRFY, HELP, NOOP text
  std::string address;    // MAIL/RCPT path without <> ("" = null sender)
  bool utf8_address = false;  // the address holds non-ASCII
  MailParams mail;        // MAIL
  RcptParams rcpt;        // RCPT
  std::uint64_t chunk_size = 0;  // BDAT
  bool last_chunk = false;       // BDAT ... LAST
  std::string mechanism;         // AUTH, upper case
  std::optional<std::string> initial_response;  // AUTH: still base64; "=" means empty
};

// The verb alone (case-insensitive), so the session can check sequence before
// arguments. nullopt for an unknown verb.
std::optional<Verb> parse_verb(std::string_view line);

// The whole command. Failures (as reply_error(), see reply.hpp):
//  - 500 5.5.2 Error: command not recognized; 500 5.5.2 Error: bad character in command;
//  - 501 5.5.4 Syntax: ... for a malformed argument list;
//  - MAIL/RCPT paths: see parse_path() (address.hpp); 553 5.6.7 for a
//    non-ASCII sender without SMTPUTF8; parameters: see parse_mail_params().
Expected<Command> parse_command(std::string_view line);

}  // namespace pillarbox::smtp
