// Commands and local checks of one client transaction (client_transaction.hpp).
// RFC 5321 §4.1.1.2-3, RFC 1870 §6, RFC 6152 §3, RFC 6531 §3.4, RFC 3461 §4.
#include "proto/smtp/client_transaction.hpp"

#include <algorithm>

#include "proto/smtp/xtext.hpp"

namespace pillarbox::smtp::client {

namespace {

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// Would break the command line or the path's brackets.
bool writable_address(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '<' || c == '>';
  });
}

std::string notify_value(unsigned notify) {
  if (notify & NotifyNever) return "NEVER";
  std::string out;
  auto add = [&](unsigned flag, const char* name) {
    if (!(notify & flag)) return;
    if (!out.empty()) out += ',';
    out += name;
  };
  add(NotifySuccess, "SUCCESS");
  add(NotifyFailure, "FAILURE");
  add(NotifyDelay, "DELAY");
  return out;
}

// "type;address" with the address xtext-encoded (RFC 3461 §4.2); a value
// without a type is taken as an rfc822 address.
std::string orcpt_value(std::string_view orcpt) {
  std::size_t semi = orcpt.find(';');
  if (semi == std::string_view::npos) return "rfc822;" + xtext_encode(orcpt);
  return std::string(orcpt.substr(0, semi)) + ";" + xtext_encode(orcpt.substr(semi + 1));
}

}  // namespace

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::Connect: return "connect";
    case Stage::Greeting: return "greeting";
    case Stage::Ehlo: return "ehlo";
    case Stage::StartTls: return "starttls";
    case Stage::Auth: return "auth";
    case Stage::Mail: return "mail";
    case Stage::Rcpt: return "rcpt";
    case Stage::Data: return "data";
    case Stage::Final: return "final";
  }
  return "?";
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Accepted: return "accepted";
    case Outcome::TemporaryFailure: return "tempfail";
    case Outcome::PermanentFailure: return "permfail";
  }
  return "?";
}

Outcome outcome_of(int code) {
  if (code >= 200 && code < 300) return Outcome::Accepted;
  return failure_of(code);
}

Outcome failure_of(int code) {
  return code >= 500 && code < 600 ? Outcome::PermanentFailure : Outcome::TemporaryFailure;
}

bool needs_smtputf8(const Transaction& transaction) {
  if (transaction.needs_smtputf8 || has_non_ascii(transaction.mail_from)) return true;
  return std::any_of(transaction.recipients.begin(), transaction.recipients.end(),
                     [](const Recipient& r) { return has_non_ascii(r.address); });
}

std::uint64_t message_size(const Transaction& transaction) {
  return transaction.size ? *transaction.size : transaction.message.size();
}

std::optional<Reply> precheck(const Transaction& transaction, const Capabilities& caps) {
  if (!writable_address(transaction.mail_from)) return Reply{553, "5.1.7", "invalid sender address"};
  if (needs_smtputf8(transaction) && !caps.smtputf8) {
    return Reply{554, "5.6.7", "remote server does not support SMTPUTF8"};
  }
  if (transaction.needs_8bitmime && !caps.eightbitmime) {
    return Reply{554, "5.6.3", "remote server does not support 8BITMIME"};
  }
  std::uint64_t size = message_size(transaction);
  if (caps.size && caps.max_size > 0 && size > caps.max_size) {
    return Reply{552, "5.3.4",
                 "message larger than the remote server's limit (" + std::to_string(size) + " > " +
                     std::to_string(caps.max_size) + " octets)"};
  }
  return std::nullopt;
}

std::optional<Reply> precheck_recipient(const Recipient& recipient) {
  if (recipient.address.empty() || !writable_address(recipient.address)) {
    return Reply{553, "5.1.3", "invalid recipient address"};
  }
  return std::nullopt;
}

std::string mail_command(const Transaction& transaction, const Capabilities& caps) {
  std::string line = "MAIL FROM:<" + transaction.mail_from + ">";
  if (caps.size) line += " SIZE=" + std::to_string(message_size(transaction));
  if (transaction.needs_8bitmime && caps.eightbitmime) line += " BODY=8BITMIME";
  if (needs_smtputf8(transaction) && caps.smtputf8) line += " SMTPUTF8";
  if (caps.dsn) {
    if (transaction.ret == Ret::Full) line += " RET=FULL";
    if (transaction.ret == Ret::Headers) line += " RET=HDRS";
    if (!transaction.envid.empty()) line += " ENVID=" + xtext_encode(transaction.envid);
  }
  return line;
}

std::string rcpt_command(const Recipient& recipient, const Capabilities& caps) {
  std::string line = "RCPT TO:<" + recipient.address + ">";
  if (caps.dsn) {
    if (recipient.notify != 0) line += " NOTIFY=" + notify_value(recipient.notify);
    if (!recipient.orcpt.empty()) line += " ORCPT=" + orcpt_value(recipient.orcpt);
  }
  return line;
}

}  // namespace pillarbox::smtp::client
