// APPEND (RFC 3501 §6.3.11) with the data of UIDPLUS APPENDUID (RFC 4315).
// The store does not parse: the caller gives the raw message and what
// libcore/ingest (proto/mime) found in it, as for delivery. Quota is not
// enforced here (imap_quota reports usage). Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/delivery.hpp"

namespace pillarbox::store {

struct AppendRequest {
  std::string raw;                       // CRLF line ends, as it will be served
  MessageMeta meta;
  std::vector<std::string> flags;        // system flags and keywords, as in STORE (\Recent ignored)
  std::optional<int64_t> internal_date;  // Unix seconds; none: now
};

struct Appended {
  int64_t mailbox_id = 0;
  int64_t uidvalidity = 0;
  int64_t uid = 0;
  int64_t modseq = 0;
  int64_t body_id = 0;
};

// Stores the body once (deduplicated by SHA-256 with deliveries and other
// APPENDs) and files it in the account's mailbox `mailbox` with the next UID
// and MODSEQ, in one transaction; safe against concurrent deliveries and
// APPENDs (the UID comes from the same one-row UPDATE). The new message is
// \Recent for the next session to SELECT. Errors: NotFound with "[TRYCREATE]"
// (no such mailbox), InvalidInput (bad name, flag or keyword), database codes.
Expected<Appended> append_message(pqxx::connection& conn, int64_t account_id, const std::string& mailbox,
                                  const AppendRequest& request);

}  // namespace pillarbox::store
