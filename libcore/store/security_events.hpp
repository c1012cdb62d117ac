// The security event log (table security_events): every service records its
// failed logins here, with the address and the account name tried; lock-outs
// and intrusion blocking read it. Database worker threads only.
#pragma once

#include <string>
#include <string_view>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct LoginFailure {
  std::string service;  // smtp, submission, pop3, imap, admin
  std::string address;  // the client's IP address
  std::string account;  // the name tried (may not exist)
  std::string reason;   // for the administrator: "wrong password", "unknown account", ...
};

// InvalidInput when `address` is not an IP address.
Expected<void> record_login_failure(pqxx::connection& conn, const LoginFailure& failure);

}  // namespace pillarbox::store
