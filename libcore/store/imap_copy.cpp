// COPY/MOVE. The target's uidnext is advanced once by the number of messages
// copied and the new rows numbered from the old value by source UID order, so
// the (source, target) pairs follow without reading the rows back.
#include "libcore/store/imap_copy.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/messages.hpp"

namespace pillarbox::store {
namespace {

Expected<CopyResult> copy_or_move(pqxx::connection& conn, int64_t account_id, int64_t source_id,
                                  const std::vector<int64_t>& uids, const std::string& target_name, bool move) {
  auto name = normalize_mailbox_name(target_name);
  if (!name) return Unexpected{name.error()};
  return guarded(move ? "moving messages" : "copying messages", [&]() -> Expected<CopyResult> {
    pqxx::work tx{conn};
    // Both rows locked in id order, so a COPY a->b and a COPY b->a cannot deadlock.
    auto rows = tx.exec_params(
        "SELECT id, account_id, uidvalidity, uidnext, highest_modseq, name = $3 FROM mailboxes "
        "WHERE account_id = $1 AND (id = $2 OR name = $3) ORDER BY id FOR UPDATE",
        account_id, source_id, *name);
    std::optional<LockedMailbox> source, target;
    for (const auto& r : rows) {
      LockedMailbox box{r[0].as<int64_t>(), r[1].as<int64_t>(), r[2].as<int64_t>(), r[3].as<int64_t>(),
                        r[4].as<int64_t>()};
      if (box.id == source_id) source = box;
      if (r[5].as<bool>()) target = box;
    }
    if (!source) return fail(ErrorCode::NotFound, "no such mailbox");
    if (!target) return fail(ErrorCode::NotFound, "[TRYCREATE] no mailbox '" + *name + "'");
    CopyResult out = transfer_messages(tx, *source, *target, uids, move);
    tx.commit();
    return out;
  });
}

}  // namespace

CopyResult transfer_messages(pqxx::transaction_base& tx, const LockedMailbox& source, const LockedMailbox& target,
                             const std::vector<int64_t>& uids, bool move) {
  CopyResult out;
  out.target_id = target.id;
  out.target_uidvalidity = target.uidvalidity;
  out.source_highest_modseq = source.highest_modseq;
  auto present = tx.exec_params(
      "SELECT id, uid FROM mailbox_messages WHERE mailbox_id = $1 AND uid = ANY($2::bigint[]) ORDER BY uid",
      source.id, to_pg_bigint_array(uids));
  if (present.empty()) return out;
  const auto count = static_cast<int64_t>(present.size());
  // One UPDATE takes the whole block of UIDs; the CHECK on uidnext refuses a
  // block that would run past 2^32-1 and the transaction rolls back.
  auto box = tx.exec_params1(
      "UPDATE mailboxes SET uidnext = uidnext + $2, highest_modseq = highest_modseq + 1 "
      "WHERE id = $1 RETURNING uidnext - $2, highest_modseq",
      target.id, count);
  const int64_t first = box[0].as<int64_t>(), modseq = box[1].as<int64_t>();
  tx.exec_params0(
      "INSERT INTO mailbox_messages (mailbox_id, uid, body_id, size, flags, keywords, modseq, internal_date) "
      "SELECT $3, $4 + row_number() OVER (ORDER BY uid) - 1, body_id, size, flags, keywords, $5, internal_date "
      "  FROM mailbox_messages WHERE mailbox_id = $1 AND uid = ANY($2::bigint[])",
      source.id, to_pg_bigint_array(uids), target.id, first, modseq);
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < count; ++i) {
    const auto& row = present[static_cast<pqxx::result::size_type>(i)];
    out.uids.emplace_back(row[1].as<int64_t>(), first + i);
    ids.push_back(row[0].as<int64_t>());
  }
  if (move) {
    for (const auto& e : expunge_rows(tx, source.account_id, ids)) {
      if (e.mailbox_id != source.id) continue;
      out.expunged.push_back(e.uid);
      out.source_highest_modseq = e.modseq;
    }
  }
  return out;
}

Expected<CopyResult> copy_messages(pqxx::connection& conn, int64_t account_id, int64_t source_mailbox_id,
                                   const std::vector<int64_t>& uids, const std::string& target) {
  return copy_or_move(conn, account_id, source_mailbox_id, uids, target, false);
}

Expected<CopyResult> move_messages(pqxx::connection& conn, int64_t account_id, int64_t source_mailbox_id,
                                   const std::vector<int64_t>& uids, const std::string& target) {
  return copy_or_move(conn, account_id, source_mailbox_id, uids, target, true);
}

}  // namespace pillarbox::store
