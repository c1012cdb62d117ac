// What a delivery report says about one recipient: the RFC 3464 §2.3.3
// Action, the RFC 3463 status code (x.y.z) and the diagnostic, taken from an
// SMTP reply (RFC 5321 §4.2, enhanced codes per RFC 2034/3463) or from a
// local failure (network, DNS, expiry). Pure string work: it neither reads
// replies off a socket (proto/smtp client_reply_parser) nor decides retries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::dsn {

// RFC 3464 §2.3.3 action-value.
enum class Action { Failed, Delayed, Delivered, Relayed, Expanded };

// "failed", "delayed", "delivered", "relayed", "expanded".
std::string_view action_name(Action action);

// RFC 3464 §2.3.4 status-code: DIGIT "." 1*3DIGIT "." 1*3DIGIT, the class
// 2, 4 or 5 (RFC 3463 §3.1) and no sub-field with a leading zero.
bool is_status_code(std::string_view code);

// A short English title for a status code's subject and detail ("Bad
// destination mailbox address" for x.1.1), from the RFC 3463 §3 list and a
// few RFC 5248 registry entries; "" when the code is unknown or only its
// class is known (x.0.0). Used in the human-readable part only.
std::string status_title(std::string_view code);

// "success", "temporary failure" or "permanent failure" by the class digit;
// "" when `code` is not a status code.
std::string_view status_class_name(std::string_view code);

// One SMTP reply as a client received it.
struct SmtpReply {
  int code = 0;          // 200..599
  std::string enhanced;  // "5.1.1" when the first line carries a valid one of the code's class
  std::vector<std::string> lines;  // verbatim wire lines without CRLF: "550-5.1.1 No such user"
};

// Reads a reply in wire form, "550 5.1.1 User unknown" or several lines
// ("550-first\r\n550 last", LF or CRLF, an optional final line break).
// nullopt when a line does not start with three digits followed by " ", "-"
// or its end, or the lines disagree on the code. Lines keep every octet but
// CR and LF; RFC 3463 §2: an enhanced code whose class differs from the
// reply code's first digit is ignored (`enhanced` stays empty).
std::optional<SmtpReply> parse_reply(std::string_view wire);

// The status of a reply: its enhanced code when valid, else the class
// default of RFC 3463 §3.1 ("2.0.0", "4.0.0", "5.0.0"). A code outside the
// 2xx/4xx/5xx classes (an unexpected 1xx/3xx) is a protocol error: "4.5.0".
std::string status_of(const SmtpReply& reply);

// A local failure: the reporting MTA's own view of why a delivery attempt
// did not reach (or was not accepted by) a remote SMTP server. Mapping to
// RFC 3463 codes (persistent-transient unless noted):
//   ConnectFailed   4.4.1  no answer: refused, unreachable, connect timeout
//   ConnectionLost  4.4.2  bad connection: reset or timeout mid-session
//   DnsTemporary    4.4.3  directory server failure (SERVFAIL, DNS timeout)
//   NoRoute         4.4.4  unable to route: no usable MX/A/AAAA address
//   NoSuchDomain    5.1.2  bad destination system (NXDOMAIN) - permanent
//   NullMx          5.1.10 the domain accepts no mail (RFC 7505 §4.3) - permanent
//   ProtocolError   4.5.0  the server's replies made no sense
//   TlsFailed       4.7.0  STARTTLS required by policy but failed or missing
//   MessageTooBig   5.3.4  over the SIZE the server announced - permanent
//   RoutingLoop     5.4.6  too many Received: fields - permanent
//   Expired         4.4.7  delivery time expired with no better cause
//   LocalError      4.3.0  our own mail system failed (store, spool)
enum class LocalFailure {
  ConnectFailed,
  ConnectionLost,
  DnsTemporary,
  NoRoute,
  NoSuchDomain,
  NullMx,
  ProtocolError,
  TlsFailed,
  MessageTooBig,
  RoutingLoop,
  Expired,
  LocalError,
};

std::string status_of(LocalFailure failure);

// Status, diagnostic and where the diagnostic came from, ready to copy into
// a RecipientReport (dsn.hpp).
struct Outcome {
  std::string status;           // "5.1.1"
  std::string diagnostic_type;  // "smtp" for a remote reply, "x-pillarbox" for a local failure
  std::string diagnostic;       // smtp: the reply's wire lines joined by '\n'; else the detail text
};

// From a reply in wire form. A reply that does not parse is kept verbatim as
// an "x-pillarbox" diagnostic ("unparsable reply: ...") with status 4.5.0.
Outcome outcome_from_reply(std::string_view wire);
// From the parts proto/smtp's client Reply holds (code, enhanced code, text
// lines joined by '\n' with the enhanced code removed): the wire lines are
// rebuilt as "ddd-x.y.z text" / "ddd x.y.z text".
Outcome outcome_from_reply(int code, std::string_view enhanced, std::string_view text);
// From a local failure; `detail` is the human cause ("connect to
// mx.example.net[192.0.2.1]:25: Connection refused"), kept verbatim.
Outcome outcome_from_local(LocalFailure failure, std::string_view detail);

// The Action for a status: 2.x.x delivered, 5.x.x failed, 4.x.x delayed, or
// failed once `giving_up` (retry time exhausted: RFC 3464 §2.3.3 allows a 4.x.x
// status with "failed"). `next_hop_has_dsn` false turns delivered into relayed
// (RFC 3461 §5.2.2: the next server will not report success).
Action action_for(std::string_view status, bool giving_up, bool next_hop_has_dsn = true);

}  // namespace pillarbox::dsn
