#include "libcore/store/pop3_locks.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {

Expected<std::optional<LockHolder>> take_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& me) {
  return guarded("locking the maildrop", [&]() -> Expected<std::optional<LockHolder>> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "WITH taken AS (INSERT INTO pop3_locks (account_id, node, pid, instance) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (account_id) DO NOTHING RETURNING 1) "
        "SELECT EXISTS (SELECT 1 FROM taken), "
        "(SELECT node FROM pop3_locks WHERE account_id = $1), (SELECT pid FROM pop3_locks WHERE account_id = $1), "
        "(SELECT instance FROM pop3_locks WHERE account_id = $1)",
        account_id, me.node, me.pid, me.instance);
    tx.commit();
    if (r[0][0].as<bool>()) return std::optional<LockHolder>{};
    // The holder may have released between our insert and the reads: then
    // the caller simply tries again.
    if (r[0][1].is_null()) return std::optional<LockHolder>{LockHolder{}};
    return std::optional<LockHolder>{LockHolder{r[0][1].as<std::string>(), r[0][2].as<int>(), r[0][3].as<std::string>()}};
  });
}

Expected<bool> take_over_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& stale,
                                   const LockHolder& me) {
  return guarded("taking over a stale maildrop lock", [&]() -> Expected<bool> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "UPDATE pop3_locks SET node = $5, pid = $6, instance = $7, locked_at = now() "
        "WHERE account_id = $1 AND node = $2 AND pid = $3 AND instance = $4",
        account_id, stale.node, stale.pid, stale.instance, me.node, me.pid, me.instance);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

Expected<void> release_pop3_lock(pqxx::connection& conn, int64_t account_id, const LockHolder& me) {
  return guarded("unlocking the maildrop", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    tx.exec_params("DELETE FROM pop3_locks WHERE account_id = $1 AND node = $2 AND pid = $3 AND instance = $4",
                   account_id, me.node, me.pid, me.instance);
    tx.commit();
    return {};
  });
}

}  // namespace pillarbox::store
