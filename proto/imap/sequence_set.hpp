// IMAP sequence sets (RFC 3501 §9 sequence-set, seq-range, seq-number): the
// value type, its parser and its formatter, plus compression of a sorted
// number list into the shortest set (`1:3,7,9:10`). "$" (RFC 5182
// SEARCHRES) is not supported. Knows nothing of mailboxes: resolving "*"
// against the largest number in use is the caller's job (contains()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::imap {

// "*" inside a range: the largest number in use.
inline constexpr std::uint32_t kStar = 0;

// One range as written: `first:last` (either may be kStar, and first may be
// greater than last, which means the same as last:first), or a single number
// when first == last.
struct SeqRange {
  std::uint32_t first = 1;
  std::uint32_t last = 1;
  bool operator==(const SeqRange&) const = default;
};

struct SequenceSet {
  std::vector<SeqRange> ranges;  // never empty once parsed
  bool operator==(const SequenceSet&) const = default;

  // Whether `n` is in the set when "*" stands for `star` (the largest
  // sequence number or UID in use; with an empty mailbox pass 0).
  bool contains(std::uint32_t n, std::uint32_t star) const;
};

// The whole of `text` as a sequence set. Errors (InvalidInput): "Invalid
// sequence set" for anything else, including 0 and numbers above 2^32-1.
Expected<SequenceSet> parse_sequence_set(std::string_view text);

// The set as written by parse_sequence_set's grammar: "1:3,5,7:*".
std::string format_sequence_set(const SequenceSet& set);

// The shortest set holding exactly `numbers` (ascending; duplicates are
// ignored; zeros are skipped): {1,2,3,7,9,10} -> "1:3,7,9:10". Empty input
// gives an empty string, which is not a valid set: callers check.
std::string compress_sequence_set(const std::vector<std::uint32_t>& numbers);

}  // namespace pillarbox::imap
