// Message-level operations shared by the readers (pop3d, imapd) and writers
// (delivery, APPEND): the INBOX listing, a message's stored bytes, storing a
// body once, expunge. Functions taking a connection open and commit their own
// transaction; those taking a transaction run inside the caller's. Database
// worker threads only.
// Errors: Unavailable/Internal (database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/store/delivery.hpp"

namespace pillarbox::store {

struct ListedMessage {
  int64_t id = 0;    // mailbox_messages.id: stable, never reused (the POP3 UIDL)
  int64_t uid = 0;
  int64_t size = 0;  // octets of the stored message (CRLF line ends)
};

// The INBOX of `account_id`, by UID. An unknown account has an empty INBOX.
Expected<std::vector<ListedMessage>> inbox_messages(pqxx::connection& conn, int64_t account_id);

// The stored bytes of message `message_id` if it is still in one of the
// account's mailboxes; nullopt once expunged (or never the account's).
Expected<std::optional<std::string>> message_bytes(pqxx::connection& conn, int64_t account_id, int64_t message_id);

// Expunges these messages of the account (ids not, or no longer, present
// are skipped): the rows go, each mailbox's HIGHESTMODSEQ moves on and the
// UIDs are recorded in expunged_messages, in one transaction. Returns how
// many were removed.
Expected<int64_t> expunge_messages(pqxx::connection& conn, int64_t account_id, const std::vector<int64_t>& ids);

// Inside the caller's transaction: the id of the bodies row holding `raw`
// (sha256 dedupe; inserted with `meta` when new, else the existing row).
int64_t store_body(pqxx::transaction_base& tx, const std::string& raw, const MessageMeta& meta);

struct ExpungedEntry {
  int64_t mailbox_id = 0;
  int64_t uid = 0;
  int64_t modseq = 0;  // the mailbox's HIGHESTMODSEQ after the expunge
};

// Inside the caller's transaction, which should hold the mailboxes' row locks
// (in id order): what expunge_messages does, returning the entries removed
// by mailbox and UID.
std::vector<ExpungedEntry> expunge_rows(pqxx::transaction_base& tx, int64_t account_id,
                                        const std::vector<int64_t>& ids);

}  // namespace pillarbox::store
