// Mailboxes (IMAP folders) of an account: the default set made with every
// account, and listing. Message-level operations (flags, expunge, copy) come
// with imapd/pop3d. Database worker threads only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct MailboxInfo {
  int64_t id = 0;
  std::string name;         // "INBOX", "Sent", "Archive/2025"...
  std::string special_use;  // "\\Sent", ...; "" for none
  int64_t uidvalidity = 0;
  int64_t uidnext = 1;
  int64_t highest_modseq = 1;
  int64_t messages = 0;
  int64_t bytes = 0;
};

// Inside the caller's transaction: INBOX, Sent (\Sent), Drafts (\Drafts),
// Trash (\Trash), Junk (\Junk), each with a fresh UIDVALIDITY.
void create_default_mailboxes(pqxx::transaction_base& tx, int64_t account_id);

// The account's mailboxes, INBOX first, then by name. An unknown account
// has none (an empty list, not an error).
Expected<std::vector<MailboxInfo>> list_mailboxes(pqxx::connection& conn, int64_t account_id);

}  // namespace pillarbox::store
