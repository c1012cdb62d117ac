// Response code construction (response_code.hpp).
#include "proto/imap/response_code.hpp"

#include <algorithm>

#include "proto/imap/sequence_set.hpp"

namespace pillarbox::imap {

namespace {

std::string joined(std::string head, const std::vector<std::string>& words, bool parens) {
  head += parens ? " (" : "";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 || !parens) head += ' ';
    head += words[i];
  }
  if (parens) head += ')';
  return head;
}

// "1,3,5" with runs that rise by one in both lists in step: "1:3".
std::string paired_set(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, bool first) {
  std::string out;
  std::size_t i = 0;
  const std::size_t n = std::min(a.size(), b.size());
  while (i < n) {
    std::size_t j = i;
    while (j + 1 < n && a[j + 1] == a[j] + 1 && b[j + 1] == b[j] + 1) ++j;
    const auto& v = first ? a : b;
    if (!out.empty()) out += ',';
    out += std::to_string(v[i]);
    if (j > i) out += ':' + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

bool strictly_ascending(const std::vector<std::uint32_t>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] <= v[i - 1]) return false;
  }
  return true;
}

}  // namespace

ResponseCode ResponseCode::uid_validity(std::uint32_t v) { return {"UIDVALIDITY " + std::to_string(v)}; }
ResponseCode ResponseCode::uid_next(std::uint32_t uid) { return {"UIDNEXT " + std::to_string(uid)}; }
ResponseCode ResponseCode::unseen(std::uint32_t seq) { return {"UNSEEN " + std::to_string(seq)}; }
ResponseCode ResponseCode::highest_modseq(std::uint64_t modseq) {
  return {"HIGHESTMODSEQ " + std::to_string(modseq)};
}

ResponseCode ResponseCode::append_uid(std::uint32_t uidvalidity, std::uint32_t uid) {
  return {"APPENDUID " + std::to_string(uidvalidity) + " " + std::to_string(uid)};
}

ResponseCode ResponseCode::copy_uid(std::uint32_t uidvalidity, const std::vector<std::uint32_t>& source,
                                    const std::vector<std::uint32_t>& destination) {
  // Two ascending lists expand back in the same order, so each may be
  // compressed alone; otherwise only runs that rise together are merged.
  if (strictly_ascending(source) && strictly_ascending(destination) && source.size() == destination.size()) {
    return {"COPYUID " + std::to_string(uidvalidity) + " " + compress_sequence_set(source) + " " +
            compress_sequence_set(destination)};
  }
  return {"COPYUID " + std::to_string(uidvalidity) + " " + paired_set(source, destination, true) + " " +
          paired_set(source, destination, false)};
}

ResponseCode ResponseCode::modified(const std::vector<std::uint32_t>& sorted_numbers) {
  return {"MODIFIED " + compress_sequence_set(sorted_numbers)};
}

ResponseCode ResponseCode::permanent_flags(const std::vector<std::string>& flags) {
  return {joined("PERMANENTFLAGS", flags, true)};
}

ResponseCode ResponseCode::capability(const std::vector<std::string>& capabilities) {
  return {joined("CAPABILITY", capabilities, false)};
}

ResponseCode ResponseCode::bad_charset(const std::vector<std::string>& supported) {
  return {joined("BADCHARSET", supported, true)};
}

}  // namespace pillarbox::imap
