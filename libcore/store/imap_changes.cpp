// One repeatable-read snapshot, so the counters, the changed rows and the
// expunged UIDs agree: writers change all three in one transaction.
#include "libcore/store/imap_changes.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {

Expected<MailboxChanges> changes_since(pqxx::connection& conn, int64_t mailbox_id, int64_t since) {
  return guarded("reading mailbox changes", [&]() -> Expected<MailboxChanges> {
    SnapshotRead tx{conn};
    auto box = tx.exec_params(
        "SELECT uidvalidity, uidnext, highest_modseq, "
        "       (SELECT count(*) FROM mailbox_messages WHERE mailbox_id = m.id) "
        "  FROM mailboxes m WHERE id = $1",
        mailbox_id);
    if (box.empty()) return fail(ErrorCode::NotFound, "no such mailbox");
    MailboxChanges out;
    out.uidvalidity = box[0][0].as<int64_t>();
    out.uidnext = box[0][1].as<int64_t>();
    out.highest_modseq = box[0][2].as<int64_t>();
    out.messages = box[0][3].as<int64_t>();
    // Both use the (mailbox_id, modseq) indexes.
    for (const auto& r : tx.exec_params("SELECT uid, modseq, flags, keywords FROM mailbox_messages "
                                        "WHERE mailbox_id = $1 AND modseq > $2 ORDER BY uid",
                                        mailbox_id, since))
      out.changed.push_back(message_state(r));
    for (const auto& r : tx.exec_params("SELECT uid FROM expunged_messages WHERE mailbox_id = $1 AND modseq > $2 "
                                        "ORDER BY uid",
                                        mailbox_id, since))
      out.vanished.push_back(r[0].as<int64_t>());
    tx.commit();
    return out;
  });
}

Expected<std::vector<int64_t>> claim_recent(pqxx::connection& conn, int64_t mailbox_id) {
  return guarded("claiming recent messages", [&]() -> Expected<std::vector<int64_t>> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "WITH old AS (SELECT id, first_recent_uid FROM mailboxes WHERE id = $1 FOR UPDATE), "
        "moved AS (UPDATE mailboxes m SET first_recent_uid = m.uidnext FROM old "
        "          WHERE m.id = old.id AND m.first_recent_uid < m.uidnext "
        "          RETURNING old.first_recent_uid AS from_uid, m.uidnext AS to_uid) "
        "SELECT mm.uid FROM mailbox_messages mm, moved "
        " WHERE mm.mailbox_id = $1 AND mm.uid >= moved.from_uid AND mm.uid < moved.to_uid ORDER BY mm.uid",
        mailbox_id);
    tx.commit();
    std::vector<int64_t> uids;
    uids.reserve(r.size());
    for (const auto& row : r) uids.push_back(row[0].as<int64_t>());
    return uids;
  });
}

}  // namespace pillarbox::store
