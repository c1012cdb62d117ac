#include "libcore/store/messages.hpp"

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {
namespace {

std::string id_array(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

}  // namespace

Expected<std::vector<ListedMessage>> inbox_messages(pqxx::connection& conn, int64_t account_id) {
  return guarded("listing the INBOX", [&]() -> Expected<std::vector<ListedMessage>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT mm.id, mm.uid, mm.size FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id "
        "WHERE m.account_id = $1 AND m.name = 'INBOX' ORDER BY mm.uid",
        account_id);
    tx.commit();
    std::vector<ListedMessage> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back({row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].as<int64_t>()});
    return out;
  });
}

Expected<std::optional<std::string>> message_bytes(pqxx::connection& conn, int64_t account_id, int64_t message_id) {
  return guarded("reading message " + std::to_string(message_id), [&]() -> Expected<std::optional<std::string>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT b.raw FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id "
        "JOIN bodies b ON b.id = mm.body_id WHERE mm.id = $1 AND m.account_id = $2",
        message_id, account_id);
    tx.commit();
    if (r.empty()) return std::optional<std::string>{};
    pqxx::binarystring raw(r[0][0]);
    return std::optional<std::string>{raw.str()};
  });
}

Expected<int64_t> expunge_messages(pqxx::connection& conn, int64_t account_id, const std::vector<int64_t>& ids) {
  if (ids.empty()) return int64_t{0};
  return guarded("expunging messages", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    // The mailboxes' rows are locked first, in id order, so that two
    // expunges over several mailboxes cannot deadlock.
    tx.exec_params(
        "SELECT m.id FROM mailboxes m WHERE m.account_id = $1 AND m.id IN "
        "(SELECT mailbox_id FROM mailbox_messages WHERE id = ANY($2::bigint[])) ORDER BY m.id FOR UPDATE",
        account_id, id_array(ids));
    auto r = tx.exec_params(
        "WITH gone AS ("
        "  DELETE FROM mailbox_messages mm USING mailboxes m "
        "  WHERE mm.mailbox_id = m.id AND m.account_id = $1 AND mm.id = ANY($2::bigint[]) "
        "  RETURNING mm.mailbox_id, mm.uid), "
        "bumped AS ("
        "  UPDATE mailboxes SET highest_modseq = highest_modseq + 1 "
        "  WHERE id IN (SELECT mailbox_id FROM gone) RETURNING id, highest_modseq) "
        "INSERT INTO expunged_messages (mailbox_id, uid, modseq) "
        "SELECT g.mailbox_id, g.uid, b.highest_modseq FROM gone g JOIN bumped b ON b.id = g.mailbox_id "
        "ON CONFLICT (mailbox_id, uid) DO UPDATE SET modseq = EXCLUDED.modseq, expunged_at = now() "
        "RETURNING 1",
        account_id, id_array(ids));
    tx.commit();
    return static_cast<int64_t>(r.size());
  });
}

}  // namespace pillarbox::store
