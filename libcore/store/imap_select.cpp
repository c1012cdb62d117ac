// SELECT takes the mailbox row lock (the lock every writer takes first), so
// the counters it reads, the \Recent range it claims and the message list
// all describe one instant. EXAMINE gets the same from a repeatable-read
// snapshot without writing: writers change the row and the messages in one
// transaction.
#include "libcore/store/imap_select.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kMailboxColumns =
    "id, name, coalesce(special_use, ''), uidvalidity, uidnext, highest_modseq, first_recent_uid";

SelectedMailbox header_from(const pqxx::row& r) {
  SelectedMailbox s;
  s.id = r[0].as<int64_t>();
  s.name = r[1].as<std::string>();
  s.special_use = r[2].as<std::string>();
  s.uidvalidity = r[3].as<int64_t>();
  s.uidnext = r[4].as<int64_t>();
  s.highest_modseq = r[5].as<int64_t>();
  return s;
}

void read_vanished(pqxx::transaction_base& tx, SelectedMailbox& s, std::optional<int64_t> since) {
  if (!since) return;
  for (const auto& row : tx.exec_params("SELECT uid FROM expunged_messages WHERE mailbox_id = $1 AND modseq > $2 "
                                        "ORDER BY uid",
                                        s.id, *since))
    s.vanished.push_back(row[0].as<int64_t>());
}

void read_messages(pqxx::transaction_base& tx, SelectedMailbox& s, int64_t first_recent) {
  auto rows = tx.exec_params(
      "SELECT uid, modseq, flags, keywords FROM mailbox_messages WHERE mailbox_id = $1 ORDER BY uid", s.id);
  s.messages.reserve(rows.size());
  for (const auto& row : rows) {
    s.messages.push_back(message_state(row));
    if (first_recent > 0 && s.messages.back().uid >= first_recent) s.recent.push_back(s.messages.back().uid);
  }
}

}  // namespace

Expected<SelectedMailbox> select_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name,
                                         SelectMode mode, std::optional<int64_t> vanished_since) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  const std::string not_found = "no mailbox '" + *normal + "'";
  if (mode == SelectMode::ReadOnly) {
    return guarded("examining mailbox", [&]() -> Expected<SelectedMailbox> {
      SnapshotRead tx{conn};
      auto r = tx.exec_params(std::string("SELECT ") + kMailboxColumns +
                                  " FROM mailboxes WHERE account_id = $1 AND name = $2",
                              account_id, *normal);
      if (r.empty()) return fail(ErrorCode::NotFound, not_found);
      SelectedMailbox s = header_from(r[0]);
      read_messages(tx, s, 0);
      read_vanished(tx, s, vanished_since);
      tx.commit();
      return s;
    });
  }
  return guarded("selecting mailbox", [&]() -> Expected<SelectedMailbox> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(std::string("SELECT ") + kMailboxColumns +
                                " FROM mailboxes WHERE account_id = $1 AND name = $2 FOR UPDATE",
                            account_id, *normal);
    if (r.empty()) return fail(ErrorCode::NotFound, not_found);
    SelectedMailbox s = header_from(r[0]);
    const int64_t first_recent = r[0][6].as<int64_t>();
    if (first_recent < s.uidnext)
      tx.exec_params0("UPDATE mailboxes SET first_recent_uid = uidnext WHERE id = $1", s.id);
    read_messages(tx, s, first_recent);
    read_vanished(tx, s, vanished_since);
    tx.commit();
    return s;
  });
}

}  // namespace pillarbox::store
