// Golden-transcript runner for the SMTP client session (STYLE.md "Protocol
// engines"). A transcript (tests/data/smtp_client/*.txt) is a list of lines:
//   # ...          comment; blank lines are ignored
//   O: k=v ...     Options: helo=, tls=none|opportunistic|required|implicit,
//                  user= password= authzid= mechs=A,B (credentials), hmac=fake|bad,
//                  and the flags auth_required cleartext_auth. Runner-only:
//                  ack=manual (Writes are confirmed by "E: written", not at once)
//   L: k=v ...     Limits: max_reply_line= max_reply_lines= data_block= max_command_line=
//   T: k=v ...     declares a transaction: id=N from=<a> to=<b> (then notify=
//                  and orcpt= apply to the last to=), 8bit utf8 size=N
//                  ret=FULL|HDRS envid=X
//   B: text        a message line of the last T: (text + CRLF); "b: text" adds
//                  text alone. Escapes in B/b/S/s: \r \n \t \\ \xHH
//   S: text        the server sends text + CRLF; "s: text" sends text alone
//   E: event       connect, connect-failed REASON, send (the next declared
//                  T:), quit, tls, timeout, closed, written (confirms every Write
//                  so far; with ack=manual), timer (records the
//                  timer). Input before an event is fed first.
//   C: text        an expected line the client writes (writes are joined and
//                  split at CRLF)
//   A: text        an expected action: "starttls", "close", "timer N" / "timer off"
//   R: text        an expected result line, one per recipient:
//                  "ID <addr> accepted|tempfail|permfail STAGE [local] REPLY"
// Expected lines (C:, A:, R:) are compared in order with what the session did.
#pragma once

#include <string>
#include <vector>

#include "proto/smtp/client_session.hpp"

namespace pillarbox::smtp::client::testing {

struct Transcript {
  struct Segment {
    std::string input;  // bytes to feed
    std::string event;  // then this event ("" for none)
  };
  Options options;
  Limits limits;
  bool manual_ack = false;
  std::vector<Transaction> transactions;
  std::vector<Segment> segments;
  std::vector<std::string> expected;
};

enum class Feed { Whole, ByteByByte, Ragged };

Transcript parse_transcript(const std::string& text);
std::string read_file(const std::string& path);

// Runs the transcript; the trace has the same line forms as the expected lines.
std::vector<std::string> replay(const Transcript& t, Feed feed);

// Shared with the unit tests.
std::vector<std::string> describe(const TransactionResult& result);
std::string escape(const std::string& s);
std::string unescape(const std::string& text);
// The fake HMAC-MD5 of "hmac=fake": the RFC 2195 example digest for its key
// and challenge, else 16 octets derived from the input.
std::string fake_hmac_md5(std::string_view key, std::string_view data);

}  // namespace pillarbox::smtp::client::testing
