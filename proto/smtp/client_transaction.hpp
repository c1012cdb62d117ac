// One mail transaction as the SMTP client sends it, and its per-recipient
// results; the MAIL FROM / RCPT TO command lines with the parameters the
// server's extensions allow (RFC 1870 SIZE, RFC 6152 BODY=8BITMIME, RFC 6531
// SMTPUTF8, RFC 3461 RET/ENVID/NOTIFY/ORCPT), and the checks that refuse a
// message locally before anything is sent. No state machine here: see
// client_session.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/client_ehlo.hpp"
#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp::client {

enum class Ret { Unset, Full, Headers };  // RFC 3461 §4.3

// RFC 3461 §4.1 NOTIFY; 0 leaves the parameter out. Never excludes the others.
enum Notify : unsigned {
  NotifyNever = 1U << 0,
  NotifySuccess = 1U << 1,
  NotifyFailure = 1U << 2,
  NotifyDelay = 1U << 3,
};

struct Recipient {
  std::string address;  // without <>
  unsigned notify = 0;  // Notify flags
  std::string orcpt;    // "addr-type;address" not yet xtext-encoded ("rfc822;a@b"); "" for none
};

struct Transaction {
  std::uint64_t id = 0;             // the host's; copied into the result
  std::string mail_from;            // without <>; "" is the null sender <>
  bool needs_8bitmime = false;      // the message has 8-bit text: BODY=8BITMIME or fail
  bool needs_smtputf8 = false;      // UTF-8 headers: SMTPUTF8 or fail (non-ASCII addresses imply it)
  std::optional<std::uint64_t> size;  // SIZE= value; default: the message's length
  std::string envid;                // RFC 3461 ENVID, not yet xtext-encoded; "" for none
  Ret ret = Ret::Unset;
  std::vector<Recipient> recipients;
  // The RFC 5322 message with CRLF line ends (a bare LF or CR is sent as
  // CRLF). Lines should stay within 998 octets; the client does not fold them.
  std::string message;
};

// Where a recipient's outcome was decided.
enum class Stage { Connect, Greeting, Ehlo, StartTls, Auth, Mail, Rcpt, Data, Final };
enum class Outcome { Accepted, TemporaryFailure, PermanentFailure };

std::string_view to_string(Stage stage);      // "connect", "greeting", "ehlo", ... "final"
std::string_view to_string(Outcome outcome);  // "accepted", "tempfail", "permfail"

// 2xx accepted, 5xx permanent, anything else temporary.
Outcome outcome_of(int code);
// For a reply that refuses: 5xx permanent, anything else (even 2xx) temporary.
Outcome failure_of(int code);

struct RecipientResult {
  std::string address;
  Outcome outcome = Outcome::TemporaryFailure;
  Stage stage = Stage::Connect;
  Reply reply;          // the server's reply, or the client's own reason when !remote
  bool remote = true;   // `reply` came from the server
};

struct TransactionResult {
  std::uint64_t id = 0;
  std::vector<RecipientResult> recipients;  // in the transaction's order
  bool dsn_passed = false;  // the server offered DSN: NOTIFY/ORCPT/RET/ENVID went with the message
};

// True when the reverse path or a recipient holds a non-ASCII octet, or the
// host said so: the transaction needs SMTPUTF8.
bool needs_smtputf8(const Transaction& transaction);

// The SIZE value: transaction.size or the message's length.
std::uint64_t message_size(const Transaction& transaction);

// A reason to fail the whole transaction before sending it (permanent,
// remote = false): an extension it needs that the server lacks, a size over
// the server's limit, or a reverse path that cannot be written in a command.
std::optional<Reply> precheck(const Transaction& transaction, const Capabilities& caps);

// A reason to fail one recipient before sending it: an address that cannot
// be written in a command line (control octets, "<" or ">"), or is empty.
std::optional<Reply> precheck_recipient(const Recipient& recipient);

// "MAIL FROM:<a@b> SIZE=n BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x" (no CRLF),
// each parameter only when the server offers its extension and it applies.
std::string mail_command(const Transaction& transaction, const Capabilities& caps);

// "RCPT TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b" (no CRLF); DSN
// parameters only when the server offers DSN.
std::string rcpt_command(const Recipient& recipient, const Capabilities& caps);

}  // namespace pillarbox::smtp::client
