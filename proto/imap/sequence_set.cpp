// Sequence set parsing and formatting (sequence_set.hpp, RFC 3501 §9).
#include "proto/imap/sequence_set.hpp"

#include <algorithm>

namespace pillarbox::imap {

namespace {

Unexpected invalid() { return fail(ErrorCode::InvalidInput, "Invalid sequence set"); }

// seq-number: nz-number / "*". Returns false for anything else.
bool seq_number(std::string_view text, std::uint32_t& out) {
  if (text == "*") {
    out = kStar;
    return true;
  }
  if (text.empty() || text.size() > 10 || text[0] < '1' || text[0] > '9') return false;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > 0xffffffffull) return false;
  out = static_cast<std::uint32_t>(value);
  return true;
}

std::string number_text(std::uint32_t n) { return n == kStar ? std::string("*") : std::to_string(n); }

}  // namespace

bool SequenceSet::contains(std::uint32_t n, std::uint32_t star) const {
  for (const SeqRange& r : ranges) {
    std::uint32_t a = r.first == kStar ? star : r.first;
    std::uint32_t b = r.last == kStar ? star : r.last;
    if (a > b) std::swap(a, b);
    if (n >= a && n <= b) return true;
  }
  return false;
}

Expected<SequenceSet> parse_sequence_set(std::string_view text) {
  SequenceSet set;
  if (text.empty()) return invalid();
  while (true) {
    std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    std::size_t colon = item.find(':');
    SeqRange range;
    if (colon == std::string_view::npos) {
      if (!seq_number(item, range.first)) return invalid();
      range.last = range.first;
    } else if (!seq_number(item.substr(0, colon), range.first) ||
               !seq_number(item.substr(colon + 1), range.last)) {
      return invalid();
    }
    set.ranges.push_back(range);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return set;
}

std::string format_sequence_set(const SequenceSet& set) {
  std::string out;
  for (const SeqRange& r : set.ranges) {
    if (!out.empty()) out += ',';
    out += number_text(r.first);
    if (r.first != r.last) out += ':' + number_text(r.last);
  }
  return out;
}

std::string compress_sequence_set(const std::vector<std::uint32_t>& numbers) {
  std::string out;
  std::size_t i = 0;
  while (i < numbers.size()) {
    if (numbers[i] == 0) {
      ++i;
      continue;
    }
    std::uint32_t first = numbers[i];
    std::uint32_t last = first;
    ++i;
    // Runs of consecutive numbers (and repeats) collapse into one range.
    while (i < numbers.size() && (numbers[i] == last || (last != 0xffffffffu && numbers[i] == last + 1))) {
      last = numbers[i];
      ++i;
    }
    if (!out.empty()) out += ',';
    out += std::to_string(first);
    if (last != first) out += ':' + std::to_string(last);
  }
  return out;
}

}  // namespace pillarbox::imap
