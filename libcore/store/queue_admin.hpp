// The administrator's operations on the outgoing queue, by queue message id
// (the number `pillarbox queue list` shows): hold, release, retry now,
// delete, and show with every attempt. Shared by the CLI and the admin API.
// Database worker threads only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/queue.hpp"

namespace pillarbox::store {

struct QueueAttempt {
  int64_t recipient_id = 0;
  int64_t at = 0;  // Unix time
  std::string outcome;  // delivered, relayed, deferred, failed
  std::string remote_mta, reply;
};

struct QueueDetail {
  QueuedMessage message;
  std::vector<QueueAttempt> attempts;  // oldest first
  std::string subject;                 // of the stored body
  int64_t finished_at = 0;             // 0: still pending
};

// NotFound for an unknown id in each of these.
Expected<QueueDetail> queue_show(pqxx::connection& conn, int64_t id);
// A held message is never claimed; release makes it due again at once.
Expected<void> queue_hold(pqxx::connection& conn, int64_t id);
Expected<void> queue_release(pqxx::connection& conn, int64_t id);
// Makes every pending recipient due now; returns how many. InvalidInput
// when the message is held (release it first) or has nothing pending.
Expected<int64_t> queue_retry(pqxx::connection& conn, int64_t id);
// Removes the message and its recipients without any report. InUse when a
// senderd is delivering it at this moment (its claim is live).
Expected<void> queue_delete(pqxx::connection& conn, int64_t id);

}  // namespace pillarbox::store
