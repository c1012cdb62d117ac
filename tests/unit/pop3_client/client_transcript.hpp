// Golden-transcript runner for the POP3 client session (STYLE.md "Protocol
// engines"). A transcript (tests/data/pop3_client/*.txt) is a list of lines:
//   # ...          comment; blank lines are ignored
//   O: k=v ...     Options: tls=none|opportunistic|required|implicit, user=,
//                  password=, auth=best|user|apop|cram-md5|plain, cleartext,
//                  max_message=N, hmac=fake|bad, apop=fake|bad
//   L: k=v ...     Limits: max_line= max_multiline= max_command_line=
//   S: text        the server sends text + CRLF; "s: text" sends text alone.
//                  Escapes in S/s: \r \n \t \\ \xHH
//   E: event       connect, connect-failed REASON, tls, timeout, closed,
//                  written, timer (records the timer), last (records
//                  last_command_masked()), or a request: login, stat, list,
//                  uidl, retr N, top N L, dele N, rset, noop, quit, raw CMD
//                  (single-line reply), raw+ CMD (multi-line reply). Input
//                  before an event is fed first.
//   C: text        an expected line the client writes (writes are joined and
//                  split at CRLF)
//   A: text        an expected action or record: "starttls", "close",
//                  "timer N" / "timer off", "last CMD"
//   R: text        an expected result: "REQUEST OUTCOME | COMMAND | REPLY",
//                  REPLY being the status line, or "local: text"
//   D: text        data of that result: STAT "count octets", LIST "msg size",
//                  UIDL "msg uid", one per line
//   M: text        a line of that result's body (split at CRLF, escaped)
// Expected lines are compared in order with what the session did.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/client_session.hpp"

namespace pillarbox::pop3::client::testing {

struct Transcript {
  struct Segment {
    std::string input;  // bytes to feed
    std::string event;  // then this event ("" for none)
  };
  Options options;
  Limits limits;
  std::vector<Segment> segments;
  std::vector<std::string> expected;
};

enum class Feed { Whole, ByteByByte, Slices7 };

Transcript parse_transcript(const std::string& text);
std::string read_file(const std::string& path);

// Runs the transcript; the trace has the same line forms as the expected lines.
std::vector<std::string> replay(const Transcript& t, Feed feed);

// Shared with the unit tests.
std::vector<std::string> describe(const Result& result);
std::string escape(const std::string& s);
std::string unescape(const std::string& text);
// "hmac=fake": the RFC 2195 §2 example digest for its key and challenge,
// else 16 octets derived from the input.
std::string fake_hmac_md5(std::string_view key, std::string_view data);
// "apop=fake": the RFC 1939 §7 example digest for its timestamp and secret,
// else 32 hex digits derived from the input.
std::string fake_apop_digest(std::string_view timestamp, std::string_view secret);

}  // namespace pillarbox::pop3::client::testing
