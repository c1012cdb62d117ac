// Carries out one request of the IMAP engine (proto/imap/host.hpp) on the
// store, on a database worker, and answers in the engine's terms. The
// session's standing (account, selected mailbox) comes in a Context and the
// changes a request makes to it come back in the Outcome, so the runner
// itself holds no state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "proto/imap/host.hpp"

namespace pillarbox::imapd {

struct Context {
  int64_t account_id = 0;   // 0 before login
  int64_t mailbox_id = 0;   // the selected mailbox, 0 when none
  std::string address;      // the client's, for the security event log
  bool login_permitted = true;  // the access rule lets the user of a LoginRequest in from here
  std::string service = "imap";
};

struct Outcome {
  imap::Result result;
  int64_t account_id = 0;  // after a successful login
  std::string account;     // its canonical name
  int64_t mailbox_id = 0;  // after a successful select
  std::string log;         // why a login failed, for the log only
};

Outcome run_request(pqxx::connection& conn, const Context& context, const imap::Request& request);

}  // namespace pillarbox::imapd
