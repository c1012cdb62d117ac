// SELECT and EXAMINE (RFC 3501 §6.3.1-2, RFC 7162 HIGHESTMODSEQ): the state a
// session starts from, and the \Recent claim. Not here: sequence numbers
// (the engine numbers the UID list it gets), catching up later (imap_changes).
// Database worker threads only; one transaction per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/imap_common.hpp"

namespace pillarbox::store {

enum class SelectMode {
  ReadWrite,  // SELECT: claims the \Recent messages
  ReadOnly,   // EXAMINE: changes nothing
};

struct SelectedMailbox {
  int64_t id = 0;
  std::string name;
  std::string special_use;
  int64_t uidvalidity = 0;
  int64_t uidnext = 1;
  int64_t highest_modseq = 1;
  std::vector<MessageState> messages;  // by UID
  std::vector<int64_t> recent;         // UIDs \Recent for this session, ascending
  std::vector<int64_t> vanished;       // expunged after `vanished_since`, ascending (QRESYNC)
};

// Opens mailbox `name` of the account. ReadWrite: the messages with
// uid >= first_recent_uid are \Recent for this session only, and
// first_recent_uid moves to uidnext in the same transaction, so a second
// session sees none of them recent. ReadOnly: `recent` is empty and nothing
// is written. With `vanished_since` (SELECT ... QRESYNC, RFC 7162 §3.2.5)
// `vanished` lists the UIDs expunged after that MODSEQ, from
// expunged_messages. Messages, counters, the recent set and the vanished UIDs
// are one consistent view.
// Errors: NotFound (no such mailbox), InvalidInput (bad name), database codes.
Expected<SelectedMailbox> select_mailbox(pqxx::connection& conn, int64_t account_id, const std::string& name,
                                         SelectMode mode, std::optional<int64_t> vanished_since = std::nullopt);

}  // namespace pillarbox::store
