// What changed in a mailbox since a MODSEQ: for CONDSTORE/QRESYNC (RFC 7162
// §3.2.5 CHANGEDSINCE, §3.2.10 VANISHED) and for a session catching up with
// others (new messages, flag changes, expunges) at NOOP/IDLE/command end.
// Database worker threads only; one read-only snapshot per call.
#pragma once

#include <cstdint>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/imap_common.hpp"

namespace pillarbox::store {

struct MailboxChanges {
  int64_t uidvalidity = 0;
  int64_t uidnext = 1;
  int64_t highest_modseq = 1;
  int64_t messages = 0;                // present now
  std::vector<MessageState> changed;   // modseq > since (new or changed), by UID
  std::vector<int64_t> vanished;       // expunged with modseq > since, ascending
};

// Changes of `mailbox_id` after MODSEQ `since`. A UID in `vanished` may have
// been expunged before the caller ever saw it; a caller that has purged
// expunge records older than `since` must not rely on `vanished` being
// complete. Errors: NotFound (the mailbox is gone), database codes.
Expected<MailboxChanges> changes_since(pqxx::connection& conn, int64_t mailbox_id, int64_t since);

// Claims \Recent for a selected (read-write) session: the messages that
// arrived since the last claim, by UID; first_recent_uid moves to UIDNEXT in
// the same statement, so each message is recent in one session only.
Expected<std::vector<int64_t>> claim_recent(pqxx::connection& conn, int64_t mailbox_id);

}  // namespace pillarbox::store
