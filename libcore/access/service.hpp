// The services that carry IP access rules, plus the global list every service
// consults after its own (REQUIREMENTS.md §2). Names only; which listener maps
// to which service (smtps -> smtp, pop3s -> pop3, ...) is the daemons' business.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::access {

enum class Service { Global, Smtp, Submission, Pop3, Imap, Admin };

// "global", "smtp", "submission", "pop3", "imap", "admin": the names the store
// and the CLI use.
std::string_view to_string(Service service);

// Case-insensitive inverse of to_string. Failure: InvalidInput naming the
// text and listing the valid names.
Expected<Service> parse_service(std::string_view text);

// True where authentication is optional at the protocol level, so a rule may
// say NOAUTH ("from these hosts authentication is not required"): smtp and
// submission.
bool allows_no_auth(Service service);

}  // namespace pillarbox::access
