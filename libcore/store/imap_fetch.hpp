// What FETCH (RFC 3501 §6.4.5, RFC 7162 MODSEQ) reads from the store: the
// columns asked for, of the messages with the given UIDs, everything parsed
// at delivery (ENVELOPE, BODY, BODYSTRUCTURE, the MIME tree with offsets) and
// raw bytes whole or by byte range. Building the reply, section offsets and
// \Seen marking (imap_flags) are the caller's. Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// The columns to read; bodies is not touched unless one of its columns is
// asked for, so a FLAGS-only FETCH reads mailbox_messages alone.
struct FetchItems {
  bool flags = false;  // flags and keywords
  bool modseq = false;
  bool internal_date = false;
  bool size = false;
  bool envelope = false;
  bool body = false;
  bool bodystructure = false;
  bool parts = false;  // the MIME tree with byte offsets (proto/mime serialisation)
  bool raw = false;    // the whole message
};

struct FetchedMessage {
  int64_t uid = 0;
  std::vector<std::string> flags, keywords;
  int64_t modseq = 0;
  int64_t internal_date = 0;  // Unix seconds
  int64_t size = 0;           // octets (RFC822.SIZE)
  std::string envelope, body, bodystructure, parts;
  std::string raw;
};

// The messages of `mailbox_id` with these UIDs, by UID; UIDs no longer
// present are skipped (an expunge by another session). Only the fields asked
// for are filled.
Expected<std::vector<FetchedMessage>> fetch_messages(pqxx::connection& conn, int64_t mailbox_id,
                                                     const std::vector<int64_t>& uids, const FetchItems& items);

// A byte range of one message's raw bytes: BODY[section]<partial> once the
// caller has the section's offsets from `parts`. length < 0: to the end.
struct RangeRequest {
  int64_t uid = 0;
  int64_t offset = 0;   // 0-based octet
  int64_t length = -1;
};

// One entry per request, in request order: the bytes (shorter, or empty,
// past the end), or nullopt when the UID is not in the mailbox. Only the
// chunks of raw that hold the range are read (raw is stored uncompressed).
Expected<std::vector<std::optional<std::string>>> fetch_ranges(pqxx::connection& conn, int64_t mailbox_id,
                                                                const std::vector<RangeRequest>& ranges);

}  // namespace pillarbox::store
