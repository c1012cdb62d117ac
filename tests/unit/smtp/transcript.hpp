// Golden-transcript runner for the SMTP session (STYLE.md "Protocol engines").
// A transcript (tests/data/smtp/*.txt) is a list of lines:
//   # ...            comment; blank lines are ignored
//   O: k=v ...       Options: hostname=, listener=smtp|submission|smtps, and the
//                    flags tls_available tls_active plain_auth_without_tls auth_exempt
//   L: k=v ...       Limits: max_command_line= max_message_size= max_recipients=
//                    max_errors= max_auth_line= max_received_headers=
//   C: text          the client sends text + CRLF; c: text sends text alone.
//                    Escapes in both: \r \n \t \\ \xHH
//   S: text          an expected reply line (the runner splits writes at CRLF)
//   A: text          an expected host action: "mail ADDR [PARAMS]", "rcpt ADDR
//                    [PARAMS]", "auth MECH authzid=.. user=.. password=..",
//                    "deliver PROTO helo=.. from=<..> to=<..>,<..>", "starttls", "close"
//   M: text          an expected line of the delivered message (CRLF removed);
//                    "M- text" for a last line without CRLF
//   H: answer        the host's next answer of that kind: "mail ok", "mail reject
//                    REPLY", "rcpt ok", "rcpt reject REPLY", "auth ok USER",
//                    "auth fail", "deliver REPLY". Without one: mail/rcpt ok,
//                    auth ok when the password is "secret", deliver
//                    "250 2.0.0 Ok: queued as Q<n>".
//   E: tls|timeout   an event: input before it is fed first, then
//                    on_tls_started() or on_timeout()
// Expected lines (S:, A:, M:) are compared in order with what the session did.
#pragma once

#include <string>
#include <vector>

#include "proto/smtp/session.hpp"

namespace pillarbox::smtp::testing {

struct Transcript {
  struct Segment {
    std::string input;  // bytes to feed
    std::string event;  // then "", "tls" or "timeout"
  };
  Options options;
  Limits limits;
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

// Trace lines for actions, shared with the session unit tests.
std::vector<std::string> describe(const Action& action);
std::string unescape(const std::string& text);

}  // namespace pillarbox::smtp::testing
