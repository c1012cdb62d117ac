// The login of a POP3 session, run on a database worker: check the
// credentials (password or APOP digest), the access rule's user list, lock
// the maildrop (taking over a dead holder's lock) and list the INBOX. One
// outcome per attempt, with the same answer for an unknown account and a
// wrong password; failures go to the security event log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/crypto/secret_box.hpp"
#include "libcore/store/messages.hpp"
#include "libcore/store/pop3_locks.hpp"
#include "proto/pop3/session.hpp"

namespace pillarbox::pop3d {

struct LoginRequest {
  std::string mechanism;  // USER, APOP, PLAIN, LOGIN
  std::string authzid, user, password;
  std::string apop_timestamp;   // what the greeting said
  std::string address;          // the client's, for the event log
  bool permitted = true;        // the access rule lets this user in from here
};

struct LoginOutcome {
  pop3::AuthResult result = pop3::AuthResult::Invalid;
  int64_t account_id = 0;
  std::string account;  // canonical name
  std::vector<store::ListedMessage> messages;
  std::string why;      // for the log
};

LoginOutcome open_maildrop(pqxx::connection& conn, const LoginRequest& request,
                           const std::optional<crypto::Key>& key, const store::LockHolder& me);

}  // namespace pillarbox::pop3d
