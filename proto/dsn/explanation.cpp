// The human-readable first part of a report (RFC 6522 §3): what happened,
// per recipient, with the remote server's reply quoted verbatim so the
// sender (or their postmaster) sees the real cause. English only.
#include <array>

#include "proto/dsn/format.hpp"
#include "proto/dsn/report_parts.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::dsn {

namespace {

constexpr std::array<Action, 5> kOrder = {Action::Failed, Action::Delayed, Action::Delivered,
                                          Action::Expanded, Action::Relayed};

// The opening sentence of the paragraph for one action.
std::string paragraph(Action action, bool plural) {
  const std::string who = plural ? "the following recipients" : "the following recipient";
  switch (action) {
    case Action::Failed:
      return "Your message could not be delivered to " + who +
             ".\nThe mail system has given up; "
             "no further attempts will be made.\n";
    case Action::Delayed:
      return "Your message has not yet been delivered to " + who +
             ".\nThe mail system is still "
             "trying; you do not need to send it again.\n";
    case Action::Delivered: return "Your message was delivered to " + who + ".\n";
    case Action::Expanded:
      return "Your message was delivered to " + who +
             "\nand passed on to the addresses "
             "they forward to.\n";
    case Action::Relayed:
      return "Your message was passed on towards " + who +
             ".\nThe next mail system does not "
             "send delivery reports: this is the last report about them.\n";
  }
  return {};
}

// The ORCPT's address when it says something the final address does not.
std::string original_address(const RecipientReport& r) {
  const std::size_t semi = r.original_recipient.find(';');
  if (semi == std::string::npos) return {};
  const std::string_view addr = mime::trim(std::string_view(r.original_recipient).substr(semi + 1));
  if (addr.empty() || mime::iequals(addr, r.final_recipient)) return {};
  return clean_text(addr, true);
}

void describe(std::string& out, const ReportInput& in, const RecipientReport& r) {
  out += "<" + clean_text(r.final_recipient, true) + ">\n";
  if (const std::string orig = original_address(r); !orig.empty()) {
    out += "    Originally addressed to: <" + orig + ">\n";
  }
  const std::string title = status_title(r.status);
  out += "    Status: " + r.status + " (" + std::string(status_class_name(r.status)) +
         (title.empty() ? "" : ": ") + title + ")\n";
  if (!r.diagnostic_type.empty() && !r.diagnostic.empty()) {
    if (mime::iequals(r.diagnostic_type, "smtp")) {
      out += r.remote_mta.empty()
                 ? std::string("    The remote server replied:\n")
                 : "    The server " + clean_text(r.remote_mta, true) + " replied:\n";
      std::size_t pos = 0;
      while (pos <= r.diagnostic.size()) {
        std::size_t lf = r.diagnostic.find('\n', pos);
        if (lf == std::string::npos) lf = r.diagnostic.size();
        out += "        " + clean_text(std::string_view(r.diagnostic).substr(pos, lf - pos), true) +
               "\n";
        pos = lf + 1;
      }
    } else {
      out += "    Reason: " + clean_text(r.diagnostic, true) + "\n";
    }
  }
  if (r.last_attempt)
    out += "    Last attempt: " + format_date(*r.last_attempt, in.utc_offset_minutes) + "\n";
  if (r.will_retry_until) {
    out +=
        "    Will keep trying until: " + format_date(*r.will_retry_until, in.utc_offset_minutes) +
        "\n";
  }
}

}  // namespace

std::string explanation_text(const ReportInput& in, std::string_view returned_note) {
  std::string out = "This is the mail system at " + clean_text(in.reporting_mta, true) + ".\n";
  for (Action action : kOrder) {
    std::size_t count = 0;
    for (const auto& r : in.recipients) count += r.action == action ? 1 : 0;
    if (count == 0) continue;
    out += "\n" + paragraph(action, count > 1);
    for (const auto& r : in.recipients) {
      if (r.action != action) continue;
      out += "\n";
      describe(out, in, r);
    }
  }
  out += "\n" + std::string(returned_note) + "\n";
  if (!in.queue_id.empty()) {
    out += "\nReference: message " + clean_text(in.queue_id, true) + " at " +
           clean_text(in.reporting_mta, true) + ".\n";
  }
  return out;
}

}  // namespace pillarbox::dsn
