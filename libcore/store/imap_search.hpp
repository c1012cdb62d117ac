// SEARCH and UID SEARCH (RFC 3501 §6.4.4, RFC 7162 §3.1.5 MODSEQ) evaluated by
// the database: a plain key tree becomes one parameterised WHERE clause (no
// client text is ever spliced into SQL). TEXT/BODY use the bodies.search GIN
// index, rechecked as a substring of search_text: so they find whole words
// (as the 'simple' text-search parser splits them: "alice@example.com" is one
// word, "example.com" inside it is not found) that also occur as the exact
// case-insensitive substring; a needle with no words is a plain substring
// test. Header keys are true substring tests. Parsing the command, the
// charset, and turning sequence numbers into UIDs are the engine's.
// Database worker threads only; one read-only transaction per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

inline constexpr int64_t kUidStar = -1;  // "*": the highest UID in the mailbox

// first:last inclusive; either end may be kUidStar, and 4:2 means 2:4 (RFC 3501 §9 seq-range).
struct UidRange {
  int64_t first = 0;
  int64_t last = 0;
};

struct SearchKey {
  enum class Kind {
    All,
    And,      // every child (none: All)
    Or,       // exactly two children
    Not,      // exactly one child
    UidSet,   // uid in `uids`
    Flag,     // `name` set: a system flag ("\\Seen") or a keyword, any case
    NoFlag,   // `name` not set
    Recent,   // uid in `uids`, the session's \Recent set
    New,      // Recent and not \Seen
    Old,      // not Recent
    Larger,   // size > number
    Smaller,  // size < number
    Before, On, Since,              // INTERNALDATE's UTC date vs the date of `number`
    SentBefore, SentOn, SentSince,  // the Date header's UTC date; no Date header: no match
    Header,   // field `name` (letters, digits, '-', '_') whose value holds `text`
    From, To, Cc, Bcc, Subject,     // the header holds `text`
    Body,     // the text holds `text`; search_text mixes headers and text parts (HTML as
              // text), so BODY also matches header text: it behaves as TEXT
    Text,     // headers or text hold `text`
    ModSeq,   // modseq >= number
  };
  Kind kind = Kind::All;
  std::vector<SearchKey> children;
  std::vector<UidRange> uids;
  std::string name;
  std::string text;     // substring, case-insensitive; "" matches every message (with that header)
  int64_t number = 0;   // octets, MODSEQ, or any Unix time within the wanted day (UTC)
};

struct SearchResult {
  std::vector<int64_t> uids;   // ascending
  int64_t highest_modseq = 0;  // the greatest MODSEQ among them (RFC 7162 §3.1.5); 0 when none
};

// The UIDs of `mailbox_id` matching `key`. Errors: InvalidInput (a malformed
// tree, a bad header name, \Recent as a Flag, nesting deeper than 100),
// database codes. An unknown mailbox matches nothing.
Expected<SearchResult> search_messages(pqxx::connection& conn, int64_t mailbox_id, const SearchKey& key);

}  // namespace pillarbox::store
