// Work: runs a function on libuv's thread pool and its completion on the
// loop. For short CPU-bound jobs (password hashing); the database has its own
// worker threads (db/executor).
#pragma once

#include <functional>

#include "libcore/event/loop.hpp"

namespace pillarbox::event {

// `work` runs on a pool thread and must not touch loop handles; `after` runs
// on the loop thread once work has returned.
void queue_work(Loop& loop, std::function<void()> work, std::function<void()> after);

}  // namespace pillarbox::event
