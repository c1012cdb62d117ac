// Mailbox management for IMAP (RFC 3501 §6.3): find by name, CREATE with
// implied parents, DELETE, RENAME (children follow; RENAME INBOX moves its
// messages, §6.3.5), SUBSCRIBE/UNSUBSCRIBE/LSUB names, STATUS counters.
// Names use the "/" delimiter and are UTF-8 here: modified UTF-7 is the
// engine's. Database worker threads only; each call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct MailboxRef {
  int64_t id = 0;
  std::string name;         // as stored: "INBOX" whatever case was asked
  std::string special_use;  // "\\Sent"...; "" for none
  int64_t uidvalidity = 0;
};

// nullopt when the account has no such mailbox. InvalidInput for a bad name.
Expected<std::optional<MailboxRef>> find_mailbox(pqxx::connection& conn, int64_t account_id,
                                                 const std::string& name);

// CREATE: missing parents are created too ("a/b/c" makes "a" and "a/b").
// Returns the new mailbox. AlreadyExists when it exists (INBOX always does),
// InvalidInput for a bad name.
Expected<MailboxRef> create_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name);

// DELETE: the mailbox and its messages (bodies stay while others use them).
// PermissionDenied for INBOX, InUse when it has children (delete those
// first), NotFound when it does not exist.
Expected<void> delete_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name);

// RENAME: children move with it ("a" -> "b" renames "a/x" to "b/x") and
// missing parents of the new name are created; UIDVALIDITY is kept. Renaming
// INBOX creates `to` and moves every INBOX message there (INBOX stays, empty,
// with its children). NotFound (no `from`), AlreadyExists (`to` or a renamed
// child exists), InvalidInput (bad names, `to` inside `from`).
Expected<void> rename_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& from,
                              const std::string& to);

// Subscriptions are names, which need not exist (RFC 3501 §6.3.6).
// Subscribing twice is fine; unsubscribing a name not subscribed is NotFound.
Expected<void> subscribe_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name);
Expected<void> unsubscribe_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name);
Expected<std::vector<std::string>> list_subscriptions(pqxx::connection& conn, int64_t account_id);  // by name

// STATUS (RFC 3501 §6.3.10, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE).
struct MailboxStatus {
  int64_t id = 0;
  int64_t messages = 0;
  int64_t recent = 0;  // uid >= first_recent_uid: not yet claimed by a SELECT
  int64_t uidnext = 1;
  int64_t uidvalidity = 0;
  int64_t unseen = 0;
  int64_t highest_modseq = 1;
  int64_t size = 0;    // octets of all messages
  int64_t deleted = 0; // flagged \Deleted (RFC 9051 STATUS DELETED)
};

// NotFound when the account has no such mailbox.
Expected<MailboxStatus> mailbox_status(pqxx::connection& conn, int64_t account_id, const std::string& name);

}  // namespace pillarbox::store
