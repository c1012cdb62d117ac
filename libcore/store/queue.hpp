// The outgoing queue: entering remote recipients (inside delivery's
// transaction) and reading the queue for the CLI and the admin API. Claiming
// due recipients and recording attempts belong to senderd's issue.
// Database worker threads only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// One remote recipient with its DSN parameters (RFC 3461), as received.
struct RemoteRecipient {
  std::string address;
  std::string notify;  // "SUCCESS,FAILURE", "NEVER", ...; "" = not given
  std::string orcpt;   // "rfc822;user@example.com"; "" = not given
};

struct QueuedRecipient {
  int64_t id = 0;
  RemoteRecipient recipient;
  std::string status;  // pending, delivered, relayed, failed
  int attempts = 0;
  int64_t next_attempt_at = 0;  // Unix time
  std::string last_error;
};

struct QueuedMessage {
  int64_t id = 0;
  std::string delivery_id;
  int64_t body_id = 0;
  int64_t size = 0;
  std::string sender;  // "" = null sender
  std::string envid;
  std::string ret;     // "FULL", "HDRS" or ""
  bool held = false;
  int64_t created_at = 0;  // Unix time
  std::vector<QueuedRecipient> recipients;
};

// What a queue_messages row holds besides its recipients.
struct QueueEntry {
  int64_t body_id = 0;
  std::string delivery_id;
  std::string sender;  // "" = null sender
  std::string envid;
  std::string ret;     // "", "FULL" or "HDRS" (the schema refuses anything else)
  bool eight_bit = false;
  bool smtputf8 = false;
};

// Inside the caller's transaction: one queue_messages row and a pending
// recipient row each; returns the queue message id.
int64_t enqueue(pqxx::transaction_base& tx, const QueueEntry& entry, const std::vector<RemoteRecipient>& recipients);

// Every queued message with its recipients, oldest first.
Expected<std::vector<QueuedMessage>> list_queue(pqxx::connection& conn);

}  // namespace pillarbox::store
