// Report assembly (see dsn.hpp): validation, the "global" decision, the
// choice of returned content, the boundary and the top-level header. RFC 3464,
// RFC 6522 §3 (multipart/report), RFC 3834 §5 (Auto-Submitted), RFC 6533.
#include "proto/dsn/dsn.hpp"

#include <optional>
#include <vector>

#include "proto/dsn/format.hpp"
#include "proto/dsn/original.hpp"
#include "proto/dsn/report_parts.hpp"

namespace pillarbox::dsn {

namespace {

Unexpected invalid(std::string what) {
  return fail(ErrorCode::InvalidInput, "cannot build delivery report", std::move(what));
}

Expected<void> validate(const ReportInput& in) {
  if (in.recipients.empty()) return invalid("no recipients");
  if (in.envelope_sender.empty()) return invalid("null envelope sender");
  if (in.reporting_mta.empty()) return invalid("no reporting MTA name");
  if (in.postmaster.empty()) return invalid("no postmaster address");
  if (in.unique.empty()) return invalid("no unique token");
  for (const auto& r : in.recipients) {
    if (r.final_recipient.empty()) return invalid("recipient without address");
    if (!is_status_code(r.status)) {
      return invalid(r.final_recipient + ": bad status \"" + r.status + "\"");
    }
    if (r.will_retry_until && r.action != Action::Delayed) {
      return invalid(r.final_recipient + ": Will-Retry-Until on a " +
                     std::string(action_name(r.action)) + " recipient");
    }
  }
  return {};
}

// RFC 6533 forms are needed when an address cannot be written in ASCII, or
// an SMTPUTF8 message comes back with UTF-8 header fields.
bool needs_utf8(const ReportInput& in) {
  if (!is_ascii(in.envelope_sender) || !is_ascii(in.postmaster)) return true;
  for (const auto& r : in.recipients) {
    if (!is_ascii(r.final_recipient) || !is_ascii(r.original_recipient)) return true;
  }
  return in.smtputf8 && !is_ascii(header_section(in.original));
}

bool has_action(const ReportInput& in, Action action) {
  for (const auto& r : in.recipients) {
    if (r.action == action) return true;
  }
  return false;
}

std::string subject_for(const ReportInput& in) {
  if (has_action(in, Action::Failed)) return "Undelivered Mail Returned to Sender";
  if (has_action(in, Action::Delayed)) return "Delayed Mail (still being retried)";
  if (has_action(in, Action::Delivered) || has_action(in, Action::Expanded)) {
    return "Successful Mail Delivery Report";
  }
  return "Relayed Mail Report";
}

// One body part: its header fields (each CRLF-terminated) and content.
struct Part {
  std::string headers;
  std::string body;
};

// "Content-Transfer-Encoding" for a body we do not encode.
std::string_view identity_encoding(std::string_view body) {
  return is_ascii(body) ? "7bit" : "8bit";
}

// Part 3 (RFC 6522 §3, RFC 3461 §4.3) and the sentence that explains it.
struct Returning {
  Returned what = Returned::None;
  Part part;
  std::string note;
};

Returning choose_returned(const ReportInput& in, bool utf8) {
  Returning r;
  std::string why;  // why only the header section goes back
  const bool full_wanted = has_action(in, Action::Failed) && in.ret != Ret::Headers;
  if (full_wanted && in.ret == Ret::Unspecified && in.original.size() > in.return_size_limit) {
    why = " Your message (" + std::to_string(in.original.size()) +
          " bytes) is too large to return in full.";
  } else if (full_wanted) {
    if (auto full = to_crlf_lines(in.original); full && !full->empty()) {
      r.what = Returned::Full;
      r.part.body = std::move(*full);
      r.note = "Your message is attached.";
      append_field(r.part.headers, "Content-Description", "Undelivered message");
      append_field(r.part.headers, "Content-Type", utf8 ? "message/global" : "message/rfc822");
    } else {
      why = " Your message cannot be attached unchanged.";
    }
  }
  if (r.what == Returned::None) {
    auto headers = to_crlf_lines(header_section(in.original));
    if (!headers || headers->empty())
      return {Returned::None, {}, "Your message could not be attached."};
    r.what = Returned::Headers;
    r.part.body = std::move(*headers);
    r.note = "The header section of your message is attached." + why;
    append_field(r.part.headers, "Content-Description", "Message header section");
    append_field(r.part.headers, "Content-Type",
                 utf8 ? "message/global-headers" : "text/rfc822-headers");
  }
  append_field(r.part.headers, "Content-Transfer-Encoding", identity_encoding(r.part.body));
  return r;
}

// Part 1: 7bit US-ASCII when it can be, else UTF-8 quoted-printable.
Part explanation_part(const ReportInput& in, std::string_view note) {
  const std::string text = explanation_text(in, note);
  std::optional<std::string> plain;
  if (is_ascii(text)) plain = to_crlf_lines(text);
  Part p;
  append_field(p.headers, "Content-Description", "Notification");
  append_field(p.headers, "Content-Type",
               plain ? "text/plain; charset=us-ascii" : "text/plain; charset=utf-8");
  append_field(p.headers, "Content-Transfer-Encoding", plain ? "7bit" : "quoted-printable");
  p.body = plain ? std::move(*plain) : qp_encode(text);
  return p;
}

// Part 2: the machine-readable report.
Part status_part(const ReportInput& in, bool utf8) {
  Part p;
  p.body = delivery_status_body(in, utf8);
  append_field(p.headers, "Content-Description", "Delivery report");
  append_field(p.headers, "Content-Type",
               utf8 ? "message/global-delivery-status" : "message/delivery-status");
  append_field(p.headers, "Content-Transfer-Encoding", identity_encoding(p.body));
  return p;
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The boundary: derived from the unique token, then counted up until no part
// contains it (RFC 2046 §5.1.1). bchars only, at most 70 characters.
std::string choose_boundary(std::string_view unique, const std::vector<const Part*>& parts) {
  std::string token;
  for (char c : unique) {
    if (is_alnum(c) && token.size() < 40) token += c;
  }
  for (unsigned n = 0;; ++n) {
    const std::string candidate = "=_pbdsn_" + token + "_" + std::to_string(n);
    bool clash = false;
    for (const Part* p : parts) {
      clash = clash || p->body.find(candidate) != std::string::npos ||
              p->headers.find(candidate) != std::string::npos;
    }
    if (!clash) return candidate;
  }
}

std::string message_id_for(const ReportInput& in) {
  std::string local;
  for (char c : in.unique) {
    if (is_alnum(c) || c == '.' || c == '-' || c == '_') local += c;
  }
  if (local.empty()) local = "dsn";
  return "<" + local + "@" + clean_text(in.reporting_mta, false) + ">";
}

void append_header(std::string& out, const ReportInput& in, const Report& report, bool utf8) {
  append_field(out, "From", "Mail Delivery System <" + clean_address(in.postmaster, utf8) + ">");
  append_field(out, "To", "<" + clean_address(in.envelope_sender, utf8) + ">");
  append_field(out, "Subject", report.subject);
  append_field(out, "Date", format_date(in.now, in.utc_offset_minutes));
  append_field(out, "Message-ID", report.message_id);
  append_field(out, "Auto-Submitted", "auto-replied");  // RFC 3834 §5
  append_field(out, "MIME-Version", "1.0");
  // RFC 6522 §3: report-type names the subtype of the second part.
  append_field(out, "Content-Type",
               std::string("multipart/report; report-type=") +
                   (utf8 ? "global-delivery-status" : "delivery-status") + "; boundary=\"" +
                   report.boundary + "\"");
}

}  // namespace

Expected<Report> build_report(const ReportInput& in) {
  if (auto ok = validate(in); !ok) return Unexpected{ok.error()};
  const bool utf8 = needs_utf8(in);
  Returning returning = choose_returned(in, utf8);
  std::vector<Part> parts;
  parts.push_back(explanation_part(in, returning.note));
  parts.push_back(status_part(in, utf8));
  if (returning.what != Returned::None) parts.push_back(std::move(returning.part));

  Report report;
  std::vector<const Part*> views;
  for (const Part& p : parts) views.push_back(&p);
  report.boundary = choose_boundary(in.unique, views);
  report.message_id = message_id_for(in);
  report.subject = subject_for(in);
  report.returned = returning.what;
  report.smtputf8 = utf8;

  std::string& out = report.message;
  append_header(out, in, report, utf8);
  out += "\r\nThis is a MIME-encapsulated delivery status notification.\r\n\r\n";
  for (const Part& p : parts) {
    out += "--" + report.boundary + "\r\n" + p.headers + "\r\n" + p.body;
    out += "\r\n";  // belongs to the next delimiter (RFC 2046 §5.1.1)
  }
  out += "--" + report.boundary + "--\r\n";
  report.eight_bit = !is_ascii(out);
  return report;
}

}  // namespace pillarbox::dsn
