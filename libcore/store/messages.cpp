#include "libcore/store/messages.hpp"

#include <algorithm>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/validate.hpp"

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

int64_t store_body(pqxx::transaction_base& tx, const std::string& raw, const MessageMeta& m) {
  // ON CONFLICT DO UPDATE, not DO NOTHING, so that RETURNING yields the
  // existing row's id and a concurrent insert of the same body is waited for.
  auto row = tx.exec_params1(
      "INSERT INTO bodies (sha256, size, raw, envelope, body, bodystructure, parts, subject, from_text, "
      "  to_text, cc_text, message_id, date_text, header_date, search_text) "
      "VALUES (sha256($1::bytea), octet_length($1::bytea), $1::bytea, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "  to_timestamp($12), $13) "
      "ON CONFLICT (sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 "
      "RETURNING id",
      pqxx::binarystring(raw.data(), raw.size()), to_valid_utf8(m.envelope), to_valid_utf8(m.body),
      to_valid_utf8(m.bodystructure), to_valid_utf8(m.parts), to_valid_utf8(m.subject), to_valid_utf8(m.from),
      to_valid_utf8(m.to), to_valid_utf8(m.cc), to_valid_utf8(m.message_id), to_valid_utf8(m.date_text),
      m.date_epoch, to_valid_utf8(m.search_text));
  return row[0].as<int64_t>();
}

std::vector<ExpungedEntry> expunge_rows(pqxx::transaction_base& tx, int64_t account_id,
                                        const std::vector<int64_t>& ids) {
  std::vector<ExpungedEntry> out;
  if (ids.empty()) return out;
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
      "RETURNING mailbox_id, uid, modseq",
      account_id, id_array(ids));
  out.reserve(r.size());
  for (const auto& row : r) out.push_back({row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].as<int64_t>()});
  std::sort(out.begin(), out.end(), [](const ExpungedEntry& a, const ExpungedEntry& b) {
    return a.mailbox_id != b.mailbox_id ? a.mailbox_id < b.mailbox_id : a.uid < b.uid;
  });
  return out;
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
    auto gone = expunge_rows(tx, account_id, ids);
    tx.commit();
    return static_cast<int64_t>(gone.size());
  });
}

}  // namespace pillarbox::store
