// Whether a message may be reported on at all: "never for a null sender,
// never looping" (RFC 5321 §4.5.5, RFC 3461 §6.2, RFC 3834 §2). It does not
// look at NOTIFY (notify.hpp) or at the delivery outcome.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pillarbox::dsn {

// Why no report may be sent about `message` (the original as stored: header
// section and body, or the header section alone), or nullopt when one may.
// Checked, in this order:
//   1. the envelope sender is null ("" or "<>"): RFC 5321 §4.5.5 - a report
//      on a report would have nowhere to go and could loop;
//   2. the envelope sender's local part is MAILER-DAEMON (any case): a
//      report that some MTA sent with a non-null return path;
//   3. the message is itself a delivery report: Content-Type multipart/report
//      with report-type delivery-status or global-delivery-status (RFC 6522,
//      RFC 6533), whatever the envelope says;
//   4. Auto-Submitted (RFC 3834 §5) is present and not "no", and the
//      From: address's local part is MAILER-DAEMON or postmaster: an
//      automatic notice from a mail system.
// Header fields are matched case-insensitively; only the first Content-Type
// and Auto-Submitted count. Other automatic mail (vacation replies, list
// traffic, cron output) with a real sender is reported on normally.
std::optional<std::string> no_report_reason(std::string_view envelope_sender,
                                            std::string_view message);

// !no_report_reason(...).
bool should_report(std::string_view envelope_sender, std::string_view message);

}  // namespace pillarbox::dsn
