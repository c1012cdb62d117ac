// Vocabulary shared by the imap_* store files: the state of one message in a
// mailbox, mailbox name rules (RFC 3501 §5.1: "/" delimiter, INBOX in any
// case), and the helpers those files use inside their own transactions.
// Not a public entry point for SQL: every statement lives in an imap_* file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// What a session tracks per message: FLAGS (system flags, "\\Seen"...),
// keywords ("$Forwarded"...) and MODSEQ (RFC 7162).
struct MessageState {
  int64_t uid = 0;
  int64_t modseq = 0;
  std::vector<std::string> flags;
  std::vector<std::string> keywords;
};

// "INBOX" in any case becomes "INBOX", also as the first level ("inbox/x" is
// "INBOX/x"); InvalidInput for "", empty levels
// ("a//b", "/a", "a/"), control characters, the LIST wildcards '*' and '%',
// or more than 1000 octets.
Expected<std::string> normalize_mailbox_name(std::string_view name);

// ---- helpers for the imap_* files (inside the caller's transaction) ----

// {1,2,3}: usable as $n::bigint[].
std::string to_pg_bigint_array(const std::vector<int64_t>& values);

// Columns (uid, modseq, flags, keywords) starting at `first`.
MessageState message_state(const pqxx::row& row, int first = 0);

struct LockedMailbox {
  int64_t id = 0;
  int64_t account_id = 0;
  int64_t uidvalidity = 0;
  int64_t uidnext = 1;
  int64_t highest_modseq = 1;
};

// Locks the mailbox row FOR UPDATE: every writer of a mailbox (delivery,
// APPEND, STORE, EXPUNGE, COPY) takes this lock first, which serialises them
// and keeps UIDs and MODSEQs in commit order. nullopt: no such mailbox.
std::optional<LockedMailbox> lock_mailbox(pqxx::transaction_base& tx, int64_t mailbox_id);

}  // namespace pillarbox::store
