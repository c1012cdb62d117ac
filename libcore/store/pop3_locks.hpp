// The POP3 maildrop lock (RFC 1939 §8: one session per mailbox). A row per
// locked account names its holder: node, process and a per-process random
// instance. A crashed holder leaves its row; the pop3d that next wants the
// account decides whether the holder is dead (same node, process gone or
// re-used) and takes the lock over. Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct LockHolder {
  std::string node;      // host name of the holder's machine
  int pid = 0;
  std::string instance;  // random per process
  bool operator==(const LockHolder&) const = default;
};

// Takes the lock for `me`; nullopt when taken, else who holds it.
Expected<std::optional<LockHolder>> take_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& me);

// Replaces `stale` with `me` if `stale` still holds the lock; false when
// someone else holds it by now.
Expected<bool> take_over_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& stale,
                                   const LockHolder& me);

// Releases the lock if `me` holds it.
Expected<void> release_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& me);

}  // namespace pillarbox::store
