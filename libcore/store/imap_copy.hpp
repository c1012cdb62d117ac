// IMAP COPY and MOVE (RFC 3501 §6.4.7, RFC 6851) between two mailboxes of one
// account, with the data of UIDPLUS COPYUID (RFC 4315). Bodies are shared,
// never copied. Sequence numbers and the untagged replies are the engine's.
// Database worker threads only; each call is one transaction.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/store/imap_common.hpp"

namespace pillarbox::store {

struct CopyResult {
  int64_t target_id = 0;
  int64_t target_uidvalidity = 0;                  // COPYUID's first field
  std::vector<std::pair<int64_t, int64_t>> uids;   // (source UID, target UID), by source UID
  std::vector<int64_t> expunged;                   // MOVE: the source UIDs removed, in order
  int64_t source_highest_modseq = 0;               // MOVE: after the expunge
};

// Copies the messages of `source_mailbox_id` with these UIDs (absent ones are
// skipped; none present copies nothing and is not an error) to the mailbox
// named `target` of the same account. The copies get consecutive new UIDs in
// source UID order, one HIGHESTMODSEQ step of the target, the same flags,
// keywords and INTERNALDATE, and are \Recent for the next session selecting
// the target. Errors: NotFound when the source does not belong to the account,
// NotFound with "[TRYCREATE]" in the message when the target does not exist,
// InvalidInput for a bad target name, Temporary/Unavailable/Internal.
Expected<CopyResult> copy_messages(pqxx::connection& conn, int64_t account_id, int64_t source_mailbox_id,
                                   const std::vector<int64_t>& uids, const std::string& target);

// COPY then expunge of the sources, in one transaction (RFC 6851): the
// source UIDs are recorded in expunged_messages with the source's new MODSEQ.
Expected<CopyResult> move_messages(pqxx::connection& conn, int64_t account_id, int64_t source_mailbox_id,
                                   const std::vector<int64_t>& uids, const std::string& target);

// Inside the caller's transaction, which holds both mailbox locks (taken in
// id order): the copy (and, with `move`, the expunge) itself. Used by RENAME
// of INBOX too.
CopyResult transfer_messages(pqxx::transaction_base& tx, const LockedMailbox& source, const LockedMailbox& target,
                             const std::vector<int64_t>& uids, bool move);

}  // namespace pillarbox::store
