// What one delivery attempt means for one queued recipient: delivered,
// relayed, deferred to a later try (and when), or failed for good; and
// whether the sender gets a report now (RFC 3461 NOTIFY: failure, delay,
// success). Pure: the time is given; recording and reporting are the
// scheduler's.
//
// The schedule (REQUIREMENTS §7): a temporary failure is retried after the
// retry interval, then twice, four and eight times it (capped), until the
// message is `max_age` old, when it fails with the last reason. Past
// `delay_warning` the sender is told once that it is still being retried.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "libcore/store/sender_queue.hpp"
#include "proto/dsn/status.hpp"

namespace pillarbox::senderd {

struct Policy {
  int64_t retry_interval = 600;
  int64_t max_age = 4 * 86400;
  int64_t delay_warning = 4 * 3600;
};

// The result of one attempt for one recipient.
struct Attempt {
  enum class Kind { Accepted, Temporary, Permanent } kind = Kind::Temporary;
  dsn::Outcome status;      // status code and diagnostic (remote reply or local failure)
  std::string reply;        // for the queue's history: the reply in wire form, or the local reason
  std::string remote_mta;   // who answered; "" when nobody did
  bool dsn_passed = false;  // the server took the DSN parameters (it reports success itself)
};

struct Decision {
  store::AttemptRecord record;
  std::optional<dsn::Action> report;  // a report on this recipient goes to the sender now
};

// Seconds from this attempt to the next: interval, 2x, 4x, then 8x for good.
int64_t retry_delay(int attempts, int64_t interval);

Decision decide(const store::ClaimedMessage& message, const store::ClaimedRecipient& recipient,
                const Attempt& attempt, int64_t now, const Policy& policy);

}  // namespace pillarbox::senderd
