// EXPUNGE and UID EXPUNGE (RFC 3501 §6.4.3, RFC 4315 §2.1): removal of the
// messages flagged \Deleted, remembered in expunged_messages for QRESYNC
// (RFC 7162). Sequence numbers for the untagged EXPUNGE responses are the
// engine's. Database worker threads only; one transaction per call.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct ExpungeResult {
  std::vector<int64_t> uids;   // removed, ascending
  int64_t highest_modseq = 0;  // the mailbox's after the expunge (= the expunged UIDs' MODSEQ)
};

// Removes the messages of `mailbox_id` flagged \Deleted, or with `within`
// only those of them whose UID is listed (UID EXPUNGE). Nothing to remove is
// not an error and does not move HIGHESTMODSEQ. Errors: NotFound (no such
// mailbox), database codes.
Expected<ExpungeResult> expunge_deleted(pqxx::connection& conn, int64_t mailbox_id,
                                        const std::optional<std::vector<int64_t>>& within = std::nullopt);

}  // namespace pillarbox::store
