// STORE (RFC 3501 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3), and the
// implicit \Seen of a BODY[] FETCH. \Recent is a session property and never
// stored. Reporting FETCH responses is the engine's. Database worker threads
// only; one transaction per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/imap_common.hpp"

namespace pillarbox::store {

enum class FlagOp { Replace, Add, Remove };  // FLAGS, +FLAGS, -FLAGS

struct FlagChange {
  FlagOp op = FlagOp::Add;
  // System flags in any case ("\\seen" is "\\Seen"): \Seen \Answered
  // \Flagged \Deleted \Draft. Keywords are atoms ("$Forwarded", "work"),
  // matched case-insensitively, stored as first given.
  std::vector<std::string> flags;
  std::optional<int64_t> unchanged_since;  // RFC 7162 UNCHANGEDSINCE
};

struct StoreResult {
  std::vector<MessageState> changed;    // new state of every message changed (one new MODSEQ), by UID
  std::vector<MessageState> unchanged;  // targeted, present, but already as asked, by UID
  std::vector<int64_t> modified;        // failed UNCHANGEDSINCE (the MODIFIED response code), by UID
  int64_t highest_modseq = 0;           // the mailbox's after the STORE
};

struct FlagLists {
  std::vector<std::string> flags;     // canonical system flags, each once
  std::vector<std::string> keywords;  // each once (case-insensitively), as first given
};

// Sorts a client's flag list into system flags and keywords. InvalidInput
// for \Recent, an unknown system flag or a keyword that is not an atom.
Expected<FlagLists> split_flags(const std::vector<std::string>& given);

// Applies `change` to the messages of `mailbox_id` with these UIDs (absent
// UIDs are skipped). Every message actually changed gets the mailbox's next
// MODSEQ (one step for the whole STORE); messages already as asked keep
// theirs. Errors: InvalidInput (\Recent, an unknown system flag, a bad
// keyword), NotFound (no such mailbox), database codes.
Expected<StoreResult> store_flags(pqxx::connection& conn, int64_t mailbox_id, const std::vector<int64_t>& uids,
                                  const FlagChange& change);

// +FLAGS.SILENT (\Seen) for a FETCH of BODY[]/RFC822/RFC822.TEXT without
// PEEK: the states of the messages that were not yet \Seen.
Expected<std::vector<MessageState>> mark_seen(pqxx::connection& conn, int64_t mailbox_id,
                                              const std::vector<int64_t>& uids);

}  // namespace pillarbox::store
