// The outgoing queue as senderd works it: claiming the recipients that are
// due, reading a claimed message's bytes, and recording each attempt's
// outcome together with any delivery report, in one transaction. Not here:
// entering mail into the queue (queue.hpp, inside delivery), the
// administrator's operations (queue_admin.hpp), deciding what an SMTP reply
// means (senderd).
//
// Claims: a senderd instance holds a session advisory lock (instance_lock.hpp)
// for its lifetime and writes that lock's key into the rows it claims. A
// claim whose owner still holds its lock is skipped by everyone else; one
// whose owner died (kill -9, lost connection) is free again at once. Rows
// are picked FOR UPDATE SKIP LOCKED, so concurrent claimers never take the
// same recipient. Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/queue.hpp"

namespace pillarbox::store {

// The advisory lock namespace of senderd instances (pg_advisory_lock(ns, key)).
inline constexpr int32_t kSenderLockNamespace = 7102;

struct ClaimedRecipient {
  int64_t id = 0;
  RemoteRecipient recipient;
  int attempts = 0;           // including this one
  bool delay_warned = false;  // the sender was already told of a delay
};

struct ClaimedMessage {
  int64_t id = 0;
  std::string delivery_id;
  int64_t body_id = 0;
  int64_t size = 0;
  std::string sender;  // "" = null sender
  std::string envid;
  std::string ret;
  bool eight_bit = false, smtputf8 = false;
  int64_t created_at = 0;  // Unix time
  std::vector<ClaimedRecipient> recipients;  // the claimed ones only
};

// Claims up to `limit` due recipients (pending, next_attempt_at <= now, of a
// message not held, not claimed by a live instance), oldest due first,
// grouped by message; counts the attempt. `instance` is the caller's lock key.
Expected<std::vector<ClaimedMessage>> claim_due(pqxx::connection& conn, int32_t instance, int limit);

// Seconds until the next pending recipient of an unheld message is due (0:
// due now), or nullopt when nothing is pending. For senderd's timer.
Expected<std::optional<int64_t>> seconds_until_due(pqxx::connection& conn);

// The stored bytes of a queued message's body. NotFound when it is gone.
Expected<std::string> queued_body(pqxx::connection& conn, int64_t body_id);

enum class AttemptOutcome {
  Delivered,  // accepted by a server that offered DSN (or no DSN asked)
  Relayed,    // accepted by a server without DSN while SUCCESS was asked
  Deferred,   // temporary failure: tried again at next_attempt_at
  Failed,     // permanent failure, or too old to retry
};

// "delivered", "relayed", "deferred", "failed": as queue_attempts.outcome says.
const char* outcome_name(AttemptOutcome outcome);

struct AttemptRecord {
  int64_t recipient_id = 0;
  AttemptOutcome outcome = AttemptOutcome::Deferred;
  std::string remote_mta;  // the server that answered ("" when none did)
  std::string reply;       // its reply verbatim, or the network/DNS error
  std::string dsn_status;  // x.y.z
  int64_t next_attempt_at = 0;  // Unix time, Deferred only
  bool delay_warned = false;    // a delay report goes out with this record
};

// Records the outcomes of one claimed message's recipients and stores the
// reports that go with them (deliver_within: local INBOXes or the queue),
// all in one transaction; releases the claims. Only rows still claimed by
// `instance` change: a claim lost meanwhile is left to its new owner
// (InUse then, with nothing stored). When no recipient of the message is
// pending any more, the message is marked finished.
Expected<void> record_attempts(pqxx::connection& conn, int32_t instance, int64_t message_id,
                               const std::vector<AttemptRecord>& records, const std::vector<Delivery>& reports);

// Gives back the caller's claims without counting an attempt: all of them
// (shutdown), or those of the given recipients (claimed but not started).
Expected<int64_t> release_claims(pqxx::connection& conn, int32_t instance);
Expected<int64_t> release_claims(pqxx::connection& conn, int32_t instance, const std::vector<int64_t>& recipients);

// Deletes finished messages older than `keep_seconds`; returns how many.
Expected<int64_t> purge_finished(pqxx::connection& conn, int64_t keep_seconds);

}  // namespace pillarbox::store
