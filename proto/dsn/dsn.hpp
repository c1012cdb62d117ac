// The delivery status notification builder: one RFC 3464 report about one
// message, as a complete RFC 5322 message in the RFC 6522 multipart/report
// form (human text, message/delivery-status, the returned message or its
// header section), with the RFC 6533 "global" forms when addresses are not
// ASCII. Pure: the caller injects the time and a unique token; no I/O, no
// clock, no randomness. Which recipients to report on is the caller's
// business (notify.hpp, loop_guard.hpp); so is sending: a report goes out
// with the null reverse path "MAIL FROM:<>" (RFC 3461 §6.2, RFC 5321 §4.5.5)
// to the original envelope sender, dot-stuffed by the SMTP client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "proto/dsn/status.hpp"

namespace pillarbox::dsn {

// RFC 3461 §4.3 RET of the original MAIL command.
enum class Ret { Unspecified, Full, Headers };

// One recipient's per-recipient group (RFC 3464 §2.3). Dates are Unix seconds.
struct RecipientReport {
  std::string final_recipient;  // envelope address as accepted, without <>
  // The ORCPT as smtp::RcptParams::orcpt stores it: "rfc822;" + the address
  // xtext-DECODED ("rfc822;a+b@x" for ORCPT=rfc822;a+2Bb@x); other address
  // types ("utf-8;...") as sent. Written as stored (RFC 3461 §6.3 d); an
  // rfc822 address that is not ASCII is written as "utf-8;" (RFC 6533 §3).
  // "" when the recipient gave no ORCPT: then there is no Original-Recipient.
  std::string original_recipient;
  Action action = Action::Failed;
  std::string status;           // "5.1.1": must satisfy is_status_code
  std::string remote_mta;       // host name of the server that answered; "" when none did
  std::string diagnostic_type;  // "smtp", "x-pillarbox" (local); "" for no Diagnostic-Code
  std::string diagnostic;       // smtp: the reply's wire lines joined by '\n', verbatim
  std::optional<std::int64_t> last_attempt;      // Last-Attempt-Date
  std::optional<std::int64_t> will_retry_until;  // Delayed only (RFC 3464 §2.3.9)
};

struct ReportInput {
  std::string reporting_mta;    // our host name: "Reporting-MTA: dns; <name>"
  std::string postmaster;       // the From address, "MAILER-DAEMON@<host>"
  std::string envelope_sender;  // original MAIL FROM without <>: the report's recipient (To:)
  std::string envid;            // ENVID, xtext-decoded; "" when none
  Ret ret = Ret::Unspecified;
  bool smtputf8 = false;  // the original transaction used SMTPUTF8
  std::optional<std::int64_t> arrival_date;
  std::string queue_id;           // our id for the message ("queued as"); "" when none
  std::string received_from_mta;  // HELO name of the client that handed it to us; "" when unknown
  std::string_view original;      // the original message as stored, LF or CRLF; not owned
  // RET absent: a failure report returns the whole message only up to this
  // size in octets, else its header section. RET=FULL ignores the cap.
  std::size_t return_size_limit = 1 << 20;
  std::vector<RecipientReport> recipients;  // in report order, at least one
  std::int64_t now = 0;                     // Date: of the report
  int utc_offset_minutes = 0;               // zone of every date written
  std::string unique;  // unique per report (queue id + attempt, ...): Message-ID, boundary
};

// What the third part holds.
enum class Returned {
  Full,     // message/rfc822 (message/global)
  Headers,  // text/rfc822-headers (message/global-headers)
  None,     // not even the header section could be returned unchanged
};

struct Report {
  std::string message;     // the whole report: CRLF line ends, no line over 998 octets
  std::string message_id;  // "<token@reporting_mta>", as in its Message-ID:
  std::string subject;
  std::string boundary;  // of the multipart/report; occurs nowhere in the parts
  Returned returned = Returned::None;
  bool eight_bit = false;  // holds 8-bit octets: send with BODY=8BITMIME
  bool smtputf8 = false;   // uses UTF-8 headers/addresses (RFC 6532/6533): needs SMTPUTF8
};

// Builds the report. Subject by the most urgent action present: failed
// "Undelivered Mail Returned to Sender", delayed "Delayed Mail (still being
// retried)", delivered/expanded "Successful Mail Delivery Report", relayed
// only "Relayed Mail Report".
//
// Returned content (RFC 3461 §4.3): reports without a failed recipient carry
// the header section only; failures carry the whole message for RET=FULL,
// the header section for RET=HDRS, and with RET absent the whole message when
// it is at most `return_size_limit` octets. A message that cannot travel
// unchanged (NUL, bare CR, a line over 998 octets) falls back to its header
// section, and a header section that cannot travel either leaves no third
// part (RFC 6522 §3 makes it optional). Bare LF line ends come back as CRLF.
//
// Character sets: the report is "global" (RFC 6533: message/global-delivery-
// status, message/global or message/global-headers, UTF-8 addresses with
// address type "utf-8", smtputf8 set) when the sender, a recipient, an ORCPT
// or the postmaster address is not ASCII, or the original used SMTPUTF8 and
// its header section is not ASCII. Otherwise every field is ASCII: 8-bit
// octets in diagnostics become "?", and the returned message keeps its 8-bit
// octets under "Content-Transfer-Encoding: 8bit" (eight_bit set). The human
// part is us-ascii 7bit, or utf-8 quoted-printable when it holds non-ASCII
// text (a UTF-8 reply from the remote server) or long lines.
//
// Fails with InvalidInput when there is no recipient, the envelope sender,
// reporting MTA, postmaster or unique token is empty, a status is not a
// status code, or Will-Retry-Until is given for an action other than delayed.
Expected<Report> build_report(const ReportInput& input);

}  // namespace pillarbox::dsn
