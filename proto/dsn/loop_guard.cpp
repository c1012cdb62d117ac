// Report suppression (see loop_guard.hpp). The header section is read with
// proto/mime, so folded and oddly spaced fields are seen as a MUA sees them.
#include "proto/dsn/loop_guard.hpp"

#include "proto/mime/address.hpp"
#include "proto/mime/content.hpp"
#include "proto/mime/headers.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::dsn {

namespace {

// The local part of "local@domain" (the last "@" splits: a quoted local
// part may contain one).
std::string_view local_part(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(0, at);
}

bool is_mail_system(std::string_view local) {
  return mime::iequals(local, "mailer-daemon") || mime::iequals(local, "postmaster");
}

bool is_delivery_report(const std::vector<mime::Header>& headers) {
  const mime::Header* ct = mime::find_header(headers, "Content-Type");
  if (ct == nullptr) return false;
  const mime::ContentType type = mime::parse_content_type(ct->value);
  if (type.type != "multipart" || type.subtype != "report") return false;
  for (const auto& [name, value] : type.params) {
    if (name == "report-type") {
      return mime::iequals(value, "delivery-status") ||
             mime::iequals(value, "global-delivery-status");
    }
  }
  return false;
}

bool from_mail_system(const std::vector<mime::Header>& headers) {
  const mime::Header* from = mime::find_header(headers, "From");
  if (from == nullptr) return false;
  for (const auto& a : mime::parse_addresses(from->value)) {
    if (a.mailbox && is_mail_system(*a.mailbox)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> no_report_reason(std::string_view envelope_sender,
                                            std::string_view message) {
  std::string_view sender = mime::trim(envelope_sender);
  if (sender.size() >= 2 && sender.front() == '<' && sender.back() == '>') {
    sender = sender.substr(1, sender.size() - 2);
  }
  if (sender.empty()) return "null envelope sender";
  if (mime::iequals(local_part(sender), "mailer-daemon"))
    return "envelope sender is a mailer-daemon";

  // A stored message passed the header limits when it arrived: no cap here.
  const auto block = mime::read_headers(message, 0, message.size(), message.size() + 1);
  if (!block) return std::nullopt;
  const auto& headers = block->headers;
  if (is_delivery_report(headers)) return "message is a delivery status notification";
  const mime::Header* auto_submitted = mime::find_header(headers, "Auto-Submitted");
  if (auto_submitted != nullptr) {
    const std::string_view value = mime::trim(auto_submitted->value);
    const std::string_view keyword = value.substr(0, value.find_first_of(" \t;("));
    if (!mime::iequals(keyword, "no") && from_mail_system(headers)) {
      return "message is an automatic notice from a mail system";
    }
  }
  return std::nullopt;
}

bool should_report(std::string_view envelope_sender, std::string_view message) {
  return !no_report_reason(envelope_sender, message);
}

}  // namespace pillarbox::dsn
