// Queue rows. Recipients are inserted one statement each: a message rarely
// has many, and libpqxx 6.4 has no array parameters to batch them with.
#include "libcore/store/queue.hpp"

#include <map>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {

int64_t enqueue(pqxx::transaction_base& tx, const QueueEntry& e, const std::vector<RemoteRecipient>& recipients) {
  const auto id = tx.exec_params1(
      "INSERT INTO queue_messages (delivery_id, body_id, sender, envid, ret, eight_bit, smtputf8) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      e.delivery_id, e.body_id, e.sender, e.envid, e.ret, e.eight_bit, e.smtputf8)[0].as<int64_t>();
  for (const auto& r : recipients) {
    tx.exec_params0("INSERT INTO queue_recipients (message_id, address, notify, orcpt) VALUES ($1, $2, $3, $4)",
                    id, r.address, r.notify, r.orcpt);
  }
  return id;
}

Expected<std::vector<QueuedMessage>> list_queue(pqxx::connection& conn) {
  return guarded("listing the queue", [&]() -> Expected<std::vector<QueuedMessage>> {
    SnapshotRead tx{conn};
    std::vector<QueuedMessage> out;
    std::map<int64_t, std::size_t> index;
    for (const auto& r : tx.exec(
             "SELECT q.id, q.delivery_id, q.body_id, b.size, q.sender, q.envid, q.ret, q.held, "
             "       extract(epoch FROM q.created_at)::bigint "
             "  FROM queue_messages q JOIN bodies b ON b.id = q.body_id ORDER BY q.created_at, q.id")) {
      index[r[0].as<int64_t>()] = out.size();
      out.push_back(QueuedMessage{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<int64_t>(),
                                  r[3].as<int64_t>(), r[4].as<std::string>(), r[5].as<std::string>(),
                                  r[6].as<std::string>(), r[7].as<bool>(), r[8].as<int64_t>(), {}});
    }
    for (const auto& r : tx.exec(
             "SELECT message_id, id, address, notify, orcpt, status, attempts, "
             "       extract(epoch FROM next_attempt_at)::bigint, last_error "
             "  FROM queue_recipients ORDER BY message_id, id")) {
      auto it = index.find(r[0].as<int64_t>());
      if (it == index.end()) continue;
      out[it->second].recipients.push_back(QueuedRecipient{
          r[1].as<int64_t>(), {r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>()},
          r[5].as<std::string>(), r[6].as<int>(), r[7].as<int64_t>(), r[8].as<std::string>()});
    }
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
