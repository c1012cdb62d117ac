// What a server's EHLO reply offers, as the SMTP client needs it (RFC 5321
// §4.1.1.1 ehlo-line syntax): SIZE (RFC 1870), PIPELINING (RFC 2920),
// 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), DSN (RFC 3461), STARTTLS (RFC
// 3207), AUTH (RFC 4954, and the old "AUTH=" form), ENHANCEDSTATUSCODES (RFC
// 2034), CHUNKING and BINARYMIME (RFC 3030). Parsing only: what to use is the
// session's decision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp::client {

struct Capabilities {
  bool esmtp = false;            // the server took EHLO (false after a HELO fallback: no extensions)
  std::string server_name;       // first word of the reply's first line
  bool size = false;             // SIZE offered
  std::uint64_t max_size = 0;    // its limit; 0 when none is fixed (RFC 1870 §4) or unreadable
  bool pipelining = false;
  bool eightbitmime = false;
  bool smtputf8 = false;
  bool dsn = false;
  bool starttls = false;
  bool enhanced_status_codes = false;
  bool chunking = false;
  bool binarymime = false;
  std::vector<std::string> auth;  // AUTH mechanisms, upper case, server's order, no duplicates

  bool offers_auth(std::string_view mechanism) const;  // case-insensitive
};

// Reads a 250 reply to EHLO: its first line is the server's name and
// greeting, each further line "keyword [params]". Keywords are matched
// without regard to case; unknown ones are ignored, so are AUTH mechanism
// names that are not RFC 4422 mechanism names.
Capabilities parse_ehlo(const Reply& reply);

}  // namespace pillarbox::smtp::client
