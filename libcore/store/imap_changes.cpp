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

}  // namespace pillarbox::store
