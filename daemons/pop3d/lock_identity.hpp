// Who holds a maildrop lock, and whether that holder is dead. A lock row
// names node, PID and a random per-process instance; on its own node pop3d
// can tell a crashed holder (process gone, or its PID now someone else's)
// from a live one. Locks of other nodes are never taken over here.
#pragma once

#include <string>

#include "libcore/store/pop3_locks.hpp"

namespace pillarbox::pop3d {

// This process: the host name, getpid() and a fresh random instance.
store::LockHolder this_process(const std::string& node);

// True when `holder` is on `me`'s node and no longer running as a pop3d.
bool holder_is_dead(const store::LockHolder& holder, const store::LockHolder& me);

}  // namespace pillarbox::pop3d
