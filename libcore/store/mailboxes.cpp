// Default mailboxes and listing. UIDVALIDITY comes from the column default
// (mailbox_uidvalidity_seq), so every mailbox, even re-created, gets a new one.
#include "libcore/store/mailboxes.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {

void create_default_mailboxes(pqxx::transaction_base& tx, int64_t account_id) {
  tx.exec_params0(
      "INSERT INTO mailboxes (account_id, name, special_use) VALUES "
      "($1, 'INBOX', NULL), ($1, 'Sent', '\\Sent'), ($1, 'Drafts', '\\Drafts'), "
      "($1, 'Trash', '\\Trash'), ($1, 'Junk', '\\Junk')",
      account_id);
}

Expected<std::vector<MailboxInfo>> list_mailboxes(pqxx::connection& conn, int64_t account_id) {
  return guarded("listing mailboxes", [&]() -> Expected<std::vector<MailboxInfo>> {
    pqxx::read_transaction tx{conn};
    auto rows = tx.exec_params(
        "SELECT m.id, m.name, coalesce(m.special_use, ''), m.uidvalidity, m.uidnext, "
        "       m.highest_modseq, count(mm.uid), coalesce(sum(mm.size), 0) "
        "  FROM mailboxes m LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id "
        " WHERE m.account_id = $1 "
        " GROUP BY m.id ORDER BY m.name <> 'INBOX', m.name",
        account_id);
    tx.commit();
    std::vector<MailboxInfo> out;
    for (const auto& r : rows) {
      out.push_back(MailboxInfo{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                                r[3].as<int64_t>(), r[4].as<int64_t>(), r[5].as<int64_t>(),
                                r[6].as<int64_t>(), r[7].as<int64_t>()});
    }
    return out;
  });
}

}  // namespace pillarbox::store
