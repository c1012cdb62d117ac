// InstanceLock: a session advisory lock that marks one process as alive for
// as long as it runs, on a connection of its own. Claims in the database
// (queue recipients, collectors) carry the lock's key; a claim whose key is
// not locked belongs to a process that is gone. The connection is watched on
// the loop: when the server closes it (PostgreSQL restarted, the connection
// was killed) the lock is lost and `on_lost` runs once; the owner should
// stop claiming and exit so its supervisor restarts it.
// Loop thread only; acquire() blocks while it connects (start-up).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"

struct pg_conn;

namespace pillarbox::store {

class InstanceLock {
 public:
  // Connects to `conninfo` and takes pg_advisory_lock(ns, key) for a random
  // key not held by anyone else. Unavailable when the database cannot be
  // reached or no free key was found.
  static Expected<std::unique_ptr<InstanceLock>> acquire(event::Loop& loop, const std::string& conninfo, int32_t ns,
                                                         std::function<void(const std::string& why)> on_lost);
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  int32_t key() const { return key_; }
  bool held() const { return conn_ != nullptr; }

 private:
  InstanceLock() = default;
  void readable();
  void lost(const std::string& why);

  pg_conn* conn_ = nullptr;
  int32_t key_ = 0;
  std::unique_ptr<event::Poll> poll_;
  std::function<void(const std::string&)> on_lost_;
};

}  // namespace pillarbox::store
