// The message/delivery-status body (RFC 3464 §2.1-2.3; RFC 6533 §3 for the
// global form). Field order follows the RFC's ABNF; optional fields appear
// only when their value is known, as §2.3.5/§2.3.7 require.
#include <algorithm>

#include "proto/dsn/format.hpp"
#include "proto/dsn/report_parts.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::dsn {

namespace {

// "rfc822; addr", or "utf-8; addr" for an address that is not ASCII.
std::string typed_address(std::string_view address, bool utf8) {
  const std::string clean = clean_address(address, utf8);
  return (is_ascii(clean) ? "rfc822; " : "utf-8; ") + clean;
}

// RFC 3461 §6.3 d: the ORCPT as given. An rfc822 address that is not ASCII
// is not an RFC 822 address: RFC 6533 §3 names that type "utf-8".
std::string original_recipient(std::string_view orcpt, bool utf8) {
  const std::size_t semi = orcpt.find(';');
  if (semi == std::string_view::npos) return "unknown;" + clean_address(orcpt, utf8);
  const std::string_view type = orcpt.substr(0, semi);
  const std::string address = clean_address(orcpt.substr(semi + 1), utf8);
  if (mime::iequals(type, "rfc822") && !is_ascii(address)) return "utf-8;" + address;
  return clean_address(type, false) + ";" + address;
}

// The Diagnostic-Code value: "smtp; " and the reply lines, each forced onto
// a line of its own so a multi-line reply reads as it was received.
std::string diagnostic_code(const RecipientReport& r, bool utf8) {
  std::string value = clean_text(r.diagnostic_type, false) + ";";
  std::size_t pos = 0;
  bool first = true;
  while (pos <= r.diagnostic.size()) {
    std::size_t lf = r.diagnostic.find('\n', pos);
    if (lf == std::string::npos) lf = r.diagnostic.size();
    const std::string line = clean_text(std::string_view(r.diagnostic).substr(pos, lf - pos), utf8);
    pos = lf + 1;
    if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; }))
      continue;
    value += first ? " " : "\n";
    value += line;
    first = false;
  }
  return value;
}

}  // namespace

std::string delivery_status_body(const ReportInput& in, bool utf8) {
  std::string out;
  if (!in.envid.empty()) append_field(out, "Original-Envelope-Id", clean_address(in.envid, utf8));
  append_field(out, "Reporting-MTA", "dns; " + clean_address(in.reporting_mta, utf8));
  if (!in.received_from_mta.empty()) {
    append_field(out, "Received-From-MTA", "dns; " + clean_address(in.received_from_mta, utf8));
  }
  if (in.arrival_date)
    append_field(out, "Arrival-Date", format_date(*in.arrival_date, in.utc_offset_minutes));
  // RFC 3464 §2.4 (c): an MTA-specific extension field, after the standard ones.
  if (!in.queue_id.empty())
    append_field(out, "X-Pillarbox-Queue-ID", clean_text(in.queue_id, false));

  for (const RecipientReport& r : in.recipients) {
    out += "\r\n";
    if (!r.original_recipient.empty()) {
      append_field(out, "Original-Recipient", original_recipient(r.original_recipient, utf8));
    }
    append_field(out, "Final-Recipient", typed_address(r.final_recipient, utf8));
    append_field(out, "Action", action_name(r.action));
    append_field(out, "Status", r.status);
    if (!r.remote_mta.empty())
      append_field(out, "Remote-MTA", "dns; " + clean_address(r.remote_mta, utf8));
    if (!r.diagnostic_type.empty()) append_field(out, "Diagnostic-Code", diagnostic_code(r, utf8));
    if (r.last_attempt) {
      append_field(out, "Last-Attempt-Date", format_date(*r.last_attempt, in.utc_offset_minutes));
    }
    if (r.will_retry_until) {
      append_field(out, "Will-Retry-Until",
                   format_date(*r.will_retry_until, in.utc_offset_minutes));
    }
  }
  return out;
}

}  // namespace pillarbox::dsn
