// IMAP ENVELOPE (RFC 3501 §7.4.2) from a header block, as Dovecot writes it:
// raw (not RFC 2047-decoded) strings, the subject's whitespace collapsed,
// Sender and Reply-To falling back to From, empty address lists as NIL,
// repeated address fields concatenated. Repeated string fields use the
// first occurrence (Dovecot: the last).
#include <iterator>

#include "proto/mime/address.hpp"
#include "proto/mime/imap_form.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

std::string nstring_header(const std::vector<Header>& headers, std::string_view name) {
  const Header* h = find_header(headers, name);
  if (h == nullptr) return "NIL";
  return iequals(name, "Subject") ? imap_quote_subject(h->value) : imap_quote_header(h->value);
}

std::string nstring(const std::optional<std::string>& s) {
  return s ? imap_quote_header(*s) : std::string("NIL");
}

std::string address_list(const std::vector<Address>& list) {
  if (list.empty()) return "NIL";
  std::string out = "(";
  for (const auto& a : list) {
    out += '(';
    out += nstring(a.name) + ' ' + nstring(a.adl) + ' ' + nstring(a.mailbox) + ' ' + nstring(a.host);
    out += ')';
  }
  out += ')';
  return out;
}

// Every occurrence counts: a second From: is shown, not hidden (as Dovecot does).
std::vector<Address> addresses(const std::vector<Header>& headers, std::string_view name) {
  std::vector<Address> out;
  for (const auto& h : headers) {
    if (!iequals(h.name, name)) continue;
    std::vector<Address> more = parse_addresses(h.value);
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return out;
}

}  // namespace

std::string write_envelope(const std::vector<Header>& headers) {
  const std::vector<Address> from = addresses(headers, "From");
  std::vector<Address> sender = addresses(headers, "Sender");
  std::vector<Address> reply_to = addresses(headers, "Reply-To");
  if (sender.empty()) sender = from;
  if (reply_to.empty()) reply_to = from;

  std::string out = "(";
  out += nstring_header(headers, "Date") + ' ';
  out += nstring_header(headers, "Subject") + ' ';
  out += address_list(from) + ' ';
  out += address_list(sender) + ' ';
  out += address_list(reply_to) + ' ';
  out += address_list(addresses(headers, "To")) + ' ';
  out += address_list(addresses(headers, "Cc")) + ' ';
  out += address_list(addresses(headers, "Bcc")) + ' ';
  out += nstring_header(headers, "In-Reply-To") + ' ';
  out += nstring_header(headers, "Message-ID");
  out += ')';
  return out;
}

}  // namespace pillarbox::mime
