// Queue operations for administrators. Delete refuses while a live senderd
// holds a claim (the same advisory-lock probe the claim uses), so a message
// is never removed under a delivery in progress.
#include "libcore/store/queue_admin.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/sender_queue.hpp"

namespace pillarbox::store {
namespace {

Error unknown(int64_t id) { return Error{ErrorCode::NotFound, "no queued message " + std::to_string(id)}; }

}  // namespace

Expected<QueueDetail> queue_show(pqxx::connection& conn, int64_t id) {
  return guarded("showing a queued message", [&]() -> Expected<QueueDetail> {
    SnapshotRead tx{conn};
    auto m = tx.exec_params(
        "SELECT q.id, q.delivery_id, q.body_id, b.size, q.sender, q.envid, q.ret, q.held, "
        "       extract(epoch FROM q.created_at)::bigint, b.subject, "
        "       coalesce(extract(epoch FROM q.finished_at)::bigint, 0) "
        "  FROM queue_messages q JOIN bodies b ON b.id = q.body_id WHERE q.id = $1",
        id);
    if (m.empty()) return Unexpected{unknown(id)};
    QueueDetail d;
    const auto& r = m[0];
    d.message = QueuedMessage{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<int64_t>(), r[3].as<int64_t>(),
                              r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<bool>(),
                              r[8].as<int64_t>(), {}};
    d.subject = r[9].as<std::string>();
    d.finished_at = r[10].as<int64_t>();
    for (const auto& x : tx.exec_params(
             "SELECT id, address, notify, orcpt, status, attempts, extract(epoch FROM next_attempt_at)::bigint, "
             "       last_error FROM queue_recipients WHERE message_id = $1 ORDER BY id",
             id))
      d.message.recipients.push_back(QueuedRecipient{
          x[0].as<int64_t>(), {x[1].as<std::string>(), x[2].as<std::string>(), x[3].as<std::string>()},
          x[4].as<std::string>(), x[5].as<int>(), x[6].as<int64_t>(), x[7].as<std::string>()});
    for (const auto& x : tx.exec_params(
             "SELECT a.recipient_id, extract(epoch FROM a.at)::bigint, a.outcome, a.remote_mta, a.reply "
             "  FROM queue_attempts a JOIN queue_recipients r ON r.id = a.recipient_id "
             " WHERE r.message_id = $1 ORDER BY a.at, a.id",
             id))
      d.attempts.push_back(QueueAttempt{x[0].as<int64_t>(), x[1].as<int64_t>(), x[2].as<std::string>(),
                                        x[3].as<std::string>(), x[4].as<std::string>()});
    tx.commit();
    return d;
  });
}

Expected<void> queue_hold(pqxx::connection& conn, int64_t id) {
  return guarded("holding a queued message", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    if (tx.exec_params("UPDATE queue_messages SET held = true WHERE id = $1 RETURNING id", id).empty())
      return Unexpected{unknown(id)};
    tx.commit();
    return {};
  });
}

Expected<void> queue_release(pqxx::connection& conn, int64_t id) {
  return guarded("releasing a queued message", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    if (tx.exec_params("UPDATE queue_messages SET held = false WHERE id = $1 RETURNING id", id).empty())
      return Unexpected{unknown(id)};
    tx.exec_params0("UPDATE queue_recipients SET next_attempt_at = now() WHERE message_id = $1 AND status = 'pending'",
                    id);
    tx.commit();
    return {};
  });
}

Expected<int64_t> queue_retry(pqxx::connection& conn, int64_t id) {
  return guarded("retrying a queued message", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    auto m = tx.exec_params("SELECT held FROM queue_messages WHERE id = $1", id);
    if (m.empty()) return Unexpected{unknown(id)};
    if (m[0][0].as<bool>())
      return fail(ErrorCode::InvalidInput, "queued message " + std::to_string(id) + " is held: release it first");
    auto r = tx.exec_params(
        "UPDATE queue_recipients SET next_attempt_at = now() WHERE message_id = $1 AND status = 'pending'", id);
    if (r.affected_rows() == 0)
      return fail(ErrorCode::InvalidInput, "queued message " + std::to_string(id) + " has no pending recipient");
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

Expected<void> queue_delete(pqxx::connection& conn, int64_t id) {
  return guarded("deleting a queued message", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    if (tx.exec_params("SELECT 1 FROM queue_messages WHERE id = $1 FOR UPDATE", id).empty())
      return Unexpected{unknown(id)};
    auto busy = tx.exec_params(
        "SELECT 1 FROM queue_recipients WHERE message_id = $1 AND claimed_by IS NOT NULL "
        "   AND NOT pg_try_advisory_xact_lock($2, claimed_by)",
        id, kSenderLockNamespace);
    if (!busy.empty())
      return fail(ErrorCode::InUse, "queued message " + std::to_string(id) + " is being delivered now: try again");
    tx.exec_params0("DELETE FROM queue_messages WHERE id = $1", id);
    tx.commit();
    return {};
  });
}

}  // namespace pillarbox::store
