// RFC 3461 §4.1 NOTIFY: which delivery reports a recipient asked for, and
// whether a report of a given Action goes to the sender. It does not parse
// the RCPT command (proto/smtp params.cpp does) nor decide when to send.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/dsn/status.hpp"

namespace pillarbox::dsn {

// The three report kinds NOTIFY can name.
enum class ReportKind { Failure, Delay, Success };

struct Notify {
  bool success = false, failure = false, delay = false;  // all false: NEVER
  bool specified = false;                                // false when the recipient gave no NOTIFY
  bool operator==(const Notify&) const = default;
};

// The RFC 3461 §4.1 default when NOTIFY is absent: FAILURE and DELAY (the
// RFC lets the MTA choose FAILURE alone or FAILURE,DELAY; we report both).
Notify default_notify();

// "NEVER" or a comma list of SUCCESS, FAILURE, DELAY, case-insensitive, no
// spaces. "" gives default_notify(). Fails with InvalidInput on an unknown
// keyword, an empty list item, a repeated keyword, or NEVER with others.
Expected<Notify> parse_notify(std::string_view value);

// Whether `notify` asks for reports of `kind`.
bool wants(const Notify& notify, ReportKind kind);

// The kind of report an Action belongs to: failed -> Failure, delayed ->
// Delay, delivered/relayed/expanded -> Success.
ReportKind kind_of(Action action);

// The one-call form for the sender daemon: does this recipient, with the
// NOTIFY value stored from its RCPT command (smtp::RcptParams::notify), want
// a report of `action`? A value that does not parse (it was validated at
// RCPT time, so only a corrupt queue entry) counts as absent: the default.
bool wants_report(std::string_view notify_value, Action action);

}  // namespace pillarbox::dsn
