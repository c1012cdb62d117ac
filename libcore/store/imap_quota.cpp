// Usage counts every mailbox entry's size (a body shared by two mailboxes
// counts twice), as a user would expect from copying a message.
#include "libcore/store/imap_quota.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {

Expected<QuotaUsage> account_quota(pqxx::connection& conn, int64_t account_id) {
  return guarded("reading quota", [&]() -> Expected<QuotaUsage> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT a.quota_mb, coalesce(sum(mm.size), 0), count(mm.uid) "
        "  FROM accounts a LEFT JOIN mailboxes m ON m.account_id = a.id "
        "  LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id "
        " WHERE a.id = $1 GROUP BY a.id",
        account_id);
    tx.commit();
    if (r.empty()) return fail(ErrorCode::NotFound, "no account id " + std::to_string(account_id));
    QuotaUsage q;
    const auto mb = r[0][0].as<int64_t>();
    if (mb > 0) q.storage_limit_kib = mb * 1024;
    q.bytes = r[0][1].as<int64_t>();
    q.messages = r[0][2].as<int64_t>();
    return q;
  });
}

}  // namespace pillarbox::store
