// What every imapd session shares: the loop, the database executor, the
// directory (access rules, settings), the bus, TLS, the mailbox watchers and
// the fixed limits. Owned by main.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "daemons/imapd/watchers.hpp"
#include "libcore/bus/client.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/tls/context.hpp"
#include "proto/imap/limits.hpp"

namespace pillarbox::imapd {

struct Services {
  event::Loop& loop;
  db::Executor& db;
  directory::Directory& directory;
  bus::Client& bus;
  std::shared_ptr<tls::Context> tls;  // null: no STARTTLS, no imaps
  std::string hostname;
  Watchers& watchers;
  imap::Limits limits;
  net::ConnectionLimits connection_limits;
  uint64_t recheck_ms = 30000;  // IDLE safety net: look for changes this often anyway
  std::map<int64_t, uint64_t> sessions_per_account;  // logged-in sessions of this process
};

}  // namespace pillarbox::imapd
