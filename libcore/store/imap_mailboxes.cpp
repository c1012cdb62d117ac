// Mailbox management. Names are normalised first (INBOX in any case), so the
// schema's CHECK never fires for a client's spelling. A child of "a" is any
// name starting "a/"; left() is used rather than LIKE so that '_' and '%' in
// names need no escaping.
#include "libcore/store/imap_mailboxes.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/imap_common.hpp"
#include "libcore/store/imap_copy.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {
namespace {

MailboxRef ref_from(const pqxx::row& r) {
  return MailboxRef{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<int64_t>()};
}

constexpr const char* kRefColumns = "id, name, coalesce(special_use, ''), uidvalidity";

// "a", "a/b" for "a/b/c": created if missing, in the caller's transaction.
void create_parents(pqxx::transaction_base& tx, int64_t account_id, const std::string& name) {
  std::vector<std::string> parents;
  for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1))
    parents.push_back(name.substr(0, slash));
  if (parents.empty()) return;
  tx.exec_params0(
      "INSERT INTO mailboxes (account_id, name) SELECT $1, p FROM unnest($2::text[]) AS p "
      "ON CONFLICT (account_id, name) DO NOTHING",
      account_id, to_pg_array(parents));
}

// The new mailbox, or nullopt when the name is taken.
std::optional<MailboxRef> insert_mailbox(pqxx::transaction_base& tx, int64_t account_id, const std::string& name) {
  create_parents(tx, account_id, name);
  auto r = tx.exec_params(std::string("INSERT INTO mailboxes (account_id, name) VALUES ($1, $2) "
                                      "ON CONFLICT (account_id, name) DO NOTHING RETURNING ") + kRefColumns,
                          account_id, name);
  if (r.empty()) return std::nullopt;
  return ref_from(r[0]);
}

// INBOX itself stays (RFC 3501 §6.3.5): a new mailbox takes its messages,
// which INBOX sessions then see expunged. The INBOX row is already locked;
// the new one is invisible to others until commit.
Expected<void> rename_inbox(pqxx::transaction_base& tx, int64_t account_id, int64_t inbox_id, const std::string& to) {
  auto made = insert_mailbox(tx, account_id, to);
  if (!made) return fail(ErrorCode::AlreadyExists, "mailbox '" + to + "' already exists");
  auto source = lock_mailbox(tx, inbox_id);
  auto target = lock_mailbox(tx, made->id);
  std::vector<int64_t> uids;
  for (const auto& row : tx.exec_params("SELECT uid FROM mailbox_messages WHERE mailbox_id = $1", inbox_id))
    uids.push_back(row[0].as<int64_t>());
  transfer_messages(tx, *source, *target, uids, true);
  return {};
}

}  // namespace

Expected<std::optional<MailboxRef>> find_mailbox(pqxx::connection& conn, int64_t account_id,
                                                 const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  return guarded("finding mailbox", [&]() -> Expected<std::optional<MailboxRef>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(std::string("SELECT ") + kRefColumns +
                                " FROM mailboxes WHERE account_id = $1 AND name = $2",
                            account_id, *normal);
    tx.commit();
    if (r.empty()) return std::optional<MailboxRef>{};
    return std::optional<MailboxRef>{ref_from(r[0])};
  });
}

Expected<MailboxRef> create_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  return guarded("creating mailbox", [&]() -> Expected<MailboxRef> {
    pqxx::work tx{conn};
    auto made = insert_mailbox(tx, account_id, *normal);
    if (!made) return fail(ErrorCode::AlreadyExists, "mailbox '" + *normal + "' already exists");
    tx.commit();
    return *made;
  });
}

Expected<void> delete_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  if (*normal == "INBOX") return fail(ErrorCode::PermissionDenied, "INBOX cannot be deleted");
  return guarded("deleting mailbox", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "SELECT m.id, EXISTS (SELECT 1 FROM mailboxes c WHERE c.account_id = m.account_id "
        "                     AND left(c.name, length(m.name) + 1) = m.name || '/') "
        "FROM mailboxes m WHERE m.account_id = $1 AND m.name = $2 FOR UPDATE",
        account_id, *normal);
    if (r.empty()) return fail(ErrorCode::NotFound, "no mailbox '" + *normal + "'");
    if (r[0][1].as<bool>())
      return fail(ErrorCode::InUse, "mailbox '" + *normal + "' has children: delete them first");
    // Messages and expunge records go by ON DELETE CASCADE.
    tx.exec_params0("DELETE FROM mailboxes WHERE id = $1", r[0][0].as<int64_t>());
    tx.commit();
    return {};
  });
}

Expected<void> rename_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& from,
                              const std::string& to) {
  auto old_name = normalize_mailbox_name(from);
  if (!old_name) return Unexpected{old_name.error()};
  auto new_name = normalize_mailbox_name(to);
  if (!new_name) return Unexpected{new_name.error()};
  if (*new_name == *old_name || *new_name == "INBOX")
    return fail(ErrorCode::AlreadyExists, "mailbox '" + *new_name + "' already exists");
  if (new_name->rfind(*old_name + "/", 0) == 0)
    return fail(ErrorCode::InvalidInput, "cannot rename a mailbox into itself");
  return guarded("renaming mailbox", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto source = tx.exec_params("SELECT id FROM mailboxes WHERE account_id = $1 AND name = $2 FOR UPDATE",
                                 account_id, *old_name);
    if (source.empty()) return fail(ErrorCode::NotFound, "no mailbox '" + *old_name + "'");
    if (*old_name == "INBOX") {
      auto moved = rename_inbox(tx, account_id, source[0][0].as<int64_t>(), *new_name);
      if (!moved) return moved;
      tx.commit();
      return {};
    }
    auto taken = tx.exec_params("SELECT 1 FROM mailboxes WHERE account_id = $1 AND name = $2", account_id,
                                *new_name);
    if (!taken.empty()) return fail(ErrorCode::AlreadyExists, "mailbox '" + *new_name + "' already exists");
    create_parents(tx, account_id, *new_name);
    // A child whose new name is taken violates UNIQUE: AlreadyExists, rolled back.
    tx.exec_params0(
        "UPDATE mailboxes SET name = $3 || substr(name, length($2) + 1) "
        "WHERE account_id = $1 AND (name = $2 OR left(name, length($2) + 1) = $2 || '/')",
        account_id, *old_name, *new_name);
    tx.commit();
    return {};
  });
}

Expected<void> subscribe_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  return guarded("subscribing", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    tx.exec_params0("INSERT INTO subscriptions (account_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    account_id, *normal);
    tx.commit();
    return {};
  });
}

Expected<void> unsubscribe_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  return guarded("unsubscribing", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM subscriptions WHERE account_id = $1 AND name = $2 RETURNING 1",
                            account_id, *normal);
    if (r.empty()) return fail(ErrorCode::NotFound, "not subscribed to '" + *normal + "'");
    tx.commit();
    return {};
  });
}

Expected<std::vector<std::string>> list_subscriptions(pqxx::connection& conn, int64_t account_id) {
  return guarded("listing subscriptions", [&]() -> Expected<std::vector<std::string>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params("SELECT name FROM subscriptions WHERE account_id = $1 ORDER BY name", account_id);
    tx.commit();
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(row[0].as<std::string>());
    return out;
  });
}

Expected<MailboxStatus> mailbox_status(pqxx::connection& conn, int64_t account_id, const std::string& name) {
  auto normal = normalize_mailbox_name(name);
  if (!normal) return Unexpected{normal.error()};
  return guarded("reading mailbox status", [&]() -> Expected<MailboxStatus> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT m.id, count(mm.uid), count(mm.uid) FILTER (WHERE mm.uid >= m.first_recent_uid), m.uidnext, "
        "       m.uidvalidity, count(mm.uid) FILTER (WHERE NOT mm.flags @> ARRAY['\\Seen']), m.highest_modseq, "
        "       coalesce(sum(mm.size), 0), count(mm.uid) FILTER (WHERE mm.flags @> ARRAY['\\Deleted']) "
        "  FROM mailboxes m LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id "
        " WHERE m.account_id = $1 AND m.name = $2 GROUP BY m.id",
        account_id, *normal);
    tx.commit();
    if (r.empty()) return fail(ErrorCode::NotFound, "no mailbox '" + *normal + "'");
    const auto& row = r[0];
    return MailboxStatus{row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].as<int64_t>(), row[3].as<int64_t>(),
                         row[4].as<int64_t>(), row[5].as<int64_t>(), row[6].as<int64_t>(), row[7].as<int64_t>(),
                         row[8].as<int64_t>()};
  });
}

}  // namespace pillarbox::store
