// Outcomes of attempts (retry_policy.hpp). RFC 3461 §5.2.2: when the next
// server takes our NOTIFY it reports success itself; when it cannot, success
// becomes "relayed" and we say so if SUCCESS was asked.
#include "daemons/senderd/retry_policy.hpp"

#include <algorithm>

#include "proto/dsn/notify.hpp"

namespace pillarbox::senderd {

int64_t retry_delay(int attempts, int64_t interval) {
  const int steps = std::clamp(attempts - 1, 0, 3);
  return interval * (int64_t{1} << steps);
}

Decision decide(const store::ClaimedMessage& message, const store::ClaimedRecipient& recipient,
                const Attempt& attempt, int64_t now, const Policy& policy) {
  Decision d;
  store::AttemptRecord& r = d.record;
  r.recipient_id = recipient.id;
  r.remote_mta = attempt.remote_mta;
  r.reply = attempt.reply;
  r.dsn_status = attempt.status.status;
  const std::string& notify = recipient.recipient.notify;
  const int64_t age = now - message.created_at;

  switch (attempt.kind) {
    case Attempt::Kind::Accepted: {
      // Relayed matters only to a recipient that asked for SUCCESS.
      const dsn::Action action = dsn::action_for(attempt.status.status, false, attempt.dsn_passed);
      const bool report = action == dsn::Action::Relayed && dsn::wants_report(notify, action);
      r.outcome = report ? store::AttemptOutcome::Relayed : store::AttemptOutcome::Delivered;
      if (report) d.report = action;
      return d;
    }
    case Attempt::Kind::Permanent:
      r.outcome = store::AttemptOutcome::Failed;
      if (dsn::wants_report(notify, dsn::Action::Failed)) d.report = dsn::Action::Failed;
      return d;
    case Attempt::Kind::Temporary: break;
  }
  if (age >= policy.max_age) {
    r.outcome = store::AttemptOutcome::Failed;
    if (dsn::wants_report(notify, dsn::Action::Failed)) d.report = dsn::Action::Failed;
    return d;
  }
  r.outcome = store::AttemptOutcome::Deferred;
  // The last try falls at the expiry time, not after it.
  r.next_attempt_at = std::min(now + retry_delay(recipient.attempts, policy.retry_interval),
                               message.created_at + policy.max_age);
  if (!recipient.delay_warned && age >= policy.delay_warning) {
    r.delay_warned = true;
    if (dsn::wants_report(notify, dsn::Action::Delayed)) d.report = dsn::Action::Delayed;
  }
  return d;
}

}  // namespace pillarbox::senderd
