// SMTP replies (RFC 5321 §4.2) with enhanced status codes (RFC 2034, RFC 3463),
// and the one function mapping an Error to the reply a client sees. Formatting
// only: which reply a command gets is decided by the session.
#pragma once

#include <string>

#include "libcore/base/error.hpp"

namespace pillarbox::smtp {

struct Reply {
  int code = 250;
  std::string enhanced;  // "2.1.0"; empty for the greeting and EHLO/HELO replies
  std::string text;      // multi-line replies: lines joined by '\n'

  // "250 2.1.0 Ok\r\n"; multi-line "250-a\r\n250 b\r\n", the enhanced code on every line.
  std::string wire() const;
  bool operator==(const Reply&) const = default;
};

// Builds the Error that carries a complete reply: `reply` is "ddd x.y.z text"
// (the message the client sees); `context` is detail for the log.
Error reply_error(ErrorCode code, std::string reply, std::string context = {});

// The reply for an Error. A message in the "ddd x.y.z text" form (from
// reply_error) is used as it stands; otherwise the code picks the numbers
// (InvalidInput 501 5.5.4, PermissionDenied 550 5.7.1, NotFound 550 5.1.1,
// TooBig 552 5.3.4, QuotaExceeded 552 5.2.2, AlreadyExists 550 5.0.0, the
// rest 451 4.3.0) and the message, when not empty, is the text.
Reply reply_for(const Error& error);

}  // namespace pillarbox::smtp
