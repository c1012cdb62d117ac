// The SMTP envelope of one mail transaction: the reverse path, its ESMTP
// parameters (RFC 1870 SIZE, RFC 6152 BODY, RFC 6531 SMTPUTF8, RFC 3461 DSN,
// RFC 4954 AUTH=) and the accepted forward paths. Plain data, no validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pillarbox::smtp {

struct MailParams {
  std::optional<std::uint64_t> size;  // SIZE= as declared by the client
  std::string body;                   // "", "7BIT", "8BITMIME" or "BINARYMIME" (upper case)
  bool smtputf8 = false;
  std::string ret;                    // "", "FULL" or "HDRS"
  std::string envid;                  // ENVID=, xtext-decoded
  std::string auth;                   // AUTH=, xtext-decoded ("<>" when the client is not trusted)

  bool operator==(const MailParams&) const = default;
};

struct RcptParams {
  std::string notify;  // "", "NEVER" or a comma list of SUCCESS,FAILURE,DELAY (upper case)
  std::string orcpt;   // "addr-type;address", xtext-decoded for rfc822 ("rfc822;a@b")

  bool operator==(const RcptParams&) const = default;
};

struct Envelope {
  std::string helo;       // EHLO/HELO argument
  std::string mail_from;  // reverse path without <> ("" = null sender)
  MailParams mail;
  std::vector<std::pair<std::string, RcptParams>> rcpts;  // accepted recipients, in order

  bool operator==(const Envelope&) const = default;
};

}  // namespace pillarbox::smtp
