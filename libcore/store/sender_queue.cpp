// The claim is one statement: pick due rows FOR UPDATE SKIP LOCKED, take
// over claims whose owner's advisory lock is free (its session is gone),
// mark them ours and count the attempt, and return them with their
// messages. pg_try_advisory_xact_lock only probes: the transaction-scoped
// lock it may take ends with the statement's transaction.
#include "libcore/store/sender_queue.hpp"

#include <algorithm>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {
namespace {

const char* outcome_status(AttemptOutcome o) {
  switch (o) {
    case AttemptOutcome::Delivered: return "delivered";
    case AttemptOutcome::Relayed: return "relayed";
    case AttemptOutcome::Failed: return "failed";
    case AttemptOutcome::Deferred: break;
  }
  return "pending";
}

}  // namespace

const char* outcome_name(AttemptOutcome o) { return o == AttemptOutcome::Deferred ? "deferred" : outcome_status(o); }

Expected<std::vector<ClaimedMessage>> claim_due(pqxx::connection& conn, int32_t instance, int limit) {
  return guarded("claiming queued recipients", [&]() -> Expected<std::vector<ClaimedMessage>> {
    pqxx::work tx{conn};
    auto rows = tx.exec_params(
        "WITH due AS ("
        "  SELECT r.id FROM queue_recipients r JOIN queue_messages q ON q.id = r.message_id "
        "   WHERE r.status = 'pending' AND r.next_attempt_at <= now() AND NOT q.held "
        "     AND (r.claimed_by IS NULL "
        "          OR (r.claimed_by <> $1 AND pg_try_advisory_xact_lock($3, r.claimed_by))) "
        "   ORDER BY r.next_attempt_at, r.id LIMIT $2 FOR UPDATE OF r SKIP LOCKED), "
        "claimed AS ("
        "  UPDATE queue_recipients r SET claimed_by = $1, claimed_at = now(), attempts = r.attempts + 1, "
        "         last_attempt_at = now() "
        "    FROM due WHERE r.id = due.id "
        "  RETURNING r.id, r.message_id, r.address, r.notify, r.orcpt, r.attempts, r.delay_warned) "
        "SELECT c.id, c.message_id, c.address, c.notify, c.orcpt, c.attempts, c.delay_warned, "
        "       q.delivery_id, q.body_id, b.size, q.sender, q.envid, q.ret, q.eight_bit, q.smtputf8, "
        "       extract(epoch FROM q.created_at)::bigint "
        "  FROM claimed c JOIN queue_messages q ON q.id = c.message_id JOIN bodies b ON b.id = q.body_id "
        " ORDER BY c.message_id, c.id",
        instance, limit, kSenderLockNamespace);
    tx.commit();
    std::vector<ClaimedMessage> out;
    for (const auto& r : rows) {
      const int64_t message = r[1].as<int64_t>();
      if (out.empty() || out.back().id != message) {
        ClaimedMessage m;
        m.id = message;
        m.delivery_id = r[7].as<std::string>();
        m.body_id = r[8].as<int64_t>();
        m.size = r[9].as<int64_t>();
        m.sender = r[10].as<std::string>();
        m.envid = r[11].as<std::string>();
        m.ret = r[12].as<std::string>();
        m.eight_bit = r[13].as<bool>();
        m.smtputf8 = r[14].as<bool>();
        m.created_at = r[15].as<int64_t>();
        out.push_back(std::move(m));
      }
      out.back().recipients.push_back(ClaimedRecipient{
          r[0].as<int64_t>(), {r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>()},
          r[5].as<int>(), r[6].as<bool>()});
    }
    return out;
  });
}

Expected<std::optional<int64_t>> seconds_until_due(pqxx::connection& conn) {
  return guarded("reading the next queue time", [&]() -> Expected<std::optional<int64_t>> {
    pqxx::read_transaction tx{conn};
    // Claimed rows are someone's work in progress (or a dead instance's,
    // which the periodic claim picks up): they must not make this 0.
    auto r = tx.exec(
        "SELECT ceil(extract(epoch FROM min(r.next_attempt_at) - now()))::bigint "
        "  FROM queue_recipients r JOIN queue_messages q ON q.id = r.message_id "
        " WHERE r.status = 'pending' AND r.claimed_by IS NULL AND NOT q.held");
    tx.commit();
    if (r[0][0].is_null()) return std::optional<int64_t>{};
    return std::optional<int64_t>{std::max<int64_t>(0, r[0][0].as<int64_t>())};
  });
}

Expected<std::string> queued_body(pqxx::connection& conn, int64_t body_id) {
  return guarded("reading a queued message", [&]() -> Expected<std::string> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params("SELECT raw FROM bodies WHERE id = $1", body_id);
    tx.commit();
    if (r.empty()) return fail(ErrorCode::NotFound, "no body " + std::to_string(body_id));
    return pqxx::binarystring(r[0][0]).str();
  });
}

Expected<void> record_attempts(pqxx::connection& conn, int32_t instance, int64_t message_id,
                               const std::vector<AttemptRecord>& records, const std::vector<Delivery>& reports) {
  return guarded("recording delivery attempts", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    for (const AttemptRecord& a : records) {
      const bool deferred = a.outcome == AttemptOutcome::Deferred;
      const bool success = a.outcome == AttemptOutcome::Delivered || a.outcome == AttemptOutcome::Relayed;
      auto r = tx.exec_params(
          "UPDATE queue_recipients SET status = $3, "
          "       next_attempt_at = CASE WHEN $4 THEN to_timestamp($5) ELSE next_attempt_at END, "
          "       last_error = CASE WHEN $6 THEN last_error ELSE $7 END, remote_mta = $8, dsn_status = $9, "
          "       delay_warned = delay_warned OR $10, claimed_by = NULL, claimed_at = NULL, "
          "       finished_at = CASE WHEN $4 THEN NULL ELSE now() END "
          " WHERE id = $1 AND message_id = $2 AND claimed_by = $11 AND status = 'pending' RETURNING id",
          a.recipient_id, message_id, outcome_status(a.outcome), deferred, a.next_attempt_at, success, a.reply,
          a.remote_mta, a.dsn_status, a.delay_warned, instance);
      if (r.empty())
        return fail(ErrorCode::InUse, "recipient " + std::to_string(a.recipient_id) + " is no longer ours");
      tx.exec_params0("INSERT INTO queue_attempts (recipient_id, outcome, remote_mta, reply) VALUES ($1, $2, $3, $4)",
                      a.recipient_id, outcome_name(a.outcome), a.remote_mta, a.reply);
    }
    for (const Delivery& report : reports) {
      auto stored = deliver_within(tx, report);
      if (!stored) return Unexpected{stored.error()};
    }
    tx.exec_params0(
        "UPDATE queue_messages SET finished_at = now() WHERE id = $1 AND finished_at IS NULL "
        "   AND NOT EXISTS (SELECT 1 FROM queue_recipients WHERE message_id = $1 AND status = 'pending')",
        message_id);
    tx.commit();
    return {};
  });
}

Expected<int64_t> release_claims(pqxx::connection& conn, int32_t instance) {
  return guarded("releasing queue claims", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "UPDATE queue_recipients SET claimed_by = NULL, claimed_at = NULL, attempts = greatest(attempts - 1, 0) "
        " WHERE claimed_by = $1 AND status = 'pending'",
        instance);
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

Expected<int64_t> release_claims(pqxx::connection& conn, int32_t instance, const std::vector<int64_t>& recipients) {
  return guarded("releasing queue claims", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    int64_t released = 0;
    for (int64_t id : recipients) {
      released += static_cast<int64_t>(
          tx.exec_params("UPDATE queue_recipients SET claimed_by = NULL, claimed_at = NULL, "
                         "       attempts = greatest(attempts - 1, 0) "
                         " WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
                         id, instance)
              .affected_rows());
    }
    tx.commit();
    return released;
  });
}

Expected<int64_t> purge_finished(pqxx::connection& conn, int64_t keep_seconds) {
  return guarded("purging finished queue entries", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "DELETE FROM queue_messages WHERE finished_at IS NOT NULL AND finished_at < now() - make_interval(secs => $1)",
        keep_seconds);
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

}  // namespace pillarbox::store
