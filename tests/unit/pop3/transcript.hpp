// Golden-transcript runner for the POP3 session (STYLE.md "Protocol engines").
// A transcript (tests/data/pop3/*.txt) is a list of lines:
//   # ...            comment; blank lines are ignored
//   O: k=v ...       Options: hostname=, apop_timestamp=, and the flags
//                    tls_available tls_active plain_login_without_tls apop_required
//   L: k=v ...       Limits: max_command_line= max_auth_line= max_errors=
//                    max_commands= max_pending_input=
//   D: uidl [size=N] text
//                    a message of the maildrop the host hands over at login, in
//                    order; its size is the text's length unless size= is given
//   C: text          the client sends text + CRLF; c: text sends text alone.
//                    Escapes in C:, c: and D: text: \r \n \t \\ \xHH
//   S: text          an expected reply line (the runner splits writes at CRLF)
//   A: text          an expected host action: "auth MECH authzid=.. user=..
//                    password=..", "retrieve index=N [top=M]", "commit
//                    deleted=I,J", "starttls", "close"
//   H: answer        the host's next answer of that kind: "auth ok [USER]",
//                    "auth invalid|in-use|temporary|not-allowed", "retrieve
//                    missing", "commit fail". Without one: auth ok when the
//                    password is "secret" (APOP: the RFC 1939 §7 example digest
//                    c4c9334bac560ecc979e58001b3e22fb), else invalid; retrieve
//                    answers with the D: text; commit succeeds.
//   E: tls|timeout   an event: input before it is fed first, then
//                    on_tls_started() or on_timeout()
// Expected lines (S:, A:) are compared in order with what the session did.
#pragma once

#include <string>
#include <vector>

#include "proto/pop3/session.hpp"

namespace pillarbox::pop3::testing {

struct Transcript {
  struct Segment {
    std::string input;  // bytes to feed
    std::string event;  // then "", "tls" or "timeout"
  };
  Options options;
  Limits limits;
  std::vector<MaildropEntry> maildrop;
  std::vector<std::string> messages;  // the text of each maildrop entry
  std::vector<Segment> segments;
  std::vector<std::string> expected;
  std::vector<std::string> host;  // H: lines, in order
};

// How input segments are cut into on_bytes() calls.
enum class Feed { Whole, ByteByByte, Ragged };

Transcript parse_transcript(const std::string& text);
std::string read_file(const std::string& path);

// Runs the transcript; the trace has the same line forms as the expected lines.
std::vector<std::string> replay(const Transcript& t, Feed feed);

// Trace lines for an action, shared with the session unit tests.
std::vector<std::string> describe(const Action& action);
std::string unescape(const std::string& text);

}  // namespace pillarbox::pop3::testing
