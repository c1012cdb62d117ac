// EXPUNGE picks the rows here and removes them with messages.cpp's
// expunge_rows, the statement POP3 uses too, so both record expunges alike.
#include "libcore/store/imap_expunge.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/imap_common.hpp"
#include "libcore/store/messages.hpp"

namespace pillarbox::store {

Expected<ExpungeResult> expunge_deleted(pqxx::connection& conn, int64_t mailbox_id,
                                        const std::optional<std::vector<int64_t>>& within) {
  return guarded("expunging", [&]() -> Expected<ExpungeResult> {
    pqxx::work tx{conn};
    auto box = lock_mailbox(tx, mailbox_id);
    if (!box) return fail(ErrorCode::NotFound, "no such mailbox");
    ExpungeResult out;
    out.highest_modseq = box->highest_modseq;
    // $3 false: every \Deleted message; true: only those in the UID list.
    auto rows = tx.exec_params(
        "SELECT id FROM mailbox_messages WHERE mailbox_id = $1 AND flags @> ARRAY['\\Deleted'] "
        "AND (NOT $3 OR uid = ANY($2::bigint[])) ORDER BY uid",
        mailbox_id, to_pg_bigint_array(within ? *within : std::vector<int64_t>{}), within.has_value());
    std::vector<int64_t> ids;
    for (const auto& r : rows) ids.push_back(r[0].as<int64_t>());
    for (const auto& e : expunge_rows(tx, box->account_id, ids)) {
      out.uids.push_back(e.uid);
      out.highest_modseq = e.modseq;
    }
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
