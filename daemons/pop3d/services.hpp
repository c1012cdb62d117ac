// What every pop3d session shares: the loop, the database executor, the
// directory snapshot (access rules, settings), TLS, the server key for APOP,
// this process's lock identity, and the fixed limits. Owned by main.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "libcore/bus/client.hpp"
#include "libcore/crypto/secret_box.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/store/pop3_locks.hpp"
#include "libcore/tls/context.hpp"
#include "proto/pop3/limits.hpp"

namespace pillarbox::pop3d {

struct Services {
  event::Loop& loop;
  db::Executor& db;
  directory::Directory& directory;
  bus::Client& bus;
  std::shared_ptr<tls::Context> tls;  // null: no STLS, no pop3s
  std::optional<crypto::Key> key;     // null: APOP not offered
  std::string hostname;
  store::LockHolder me;               // this process, for maildrop locks
  pop3::Limits limits;
  net::ConnectionLimits connection_limits;
};

}  // namespace pillarbox::pop3d
