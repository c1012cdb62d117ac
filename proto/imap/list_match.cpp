// LIST wildcard matching (list_match.hpp), RFC 3501 §6.3.8. A row-by-row
// table over pattern and name prefixes, so a hostile pattern costs
// O(pattern × name) time and O(name) memory, never backtracking.
#include "proto/imap/list_match.hpp"

#include <vector>

#include "proto/imap/reader.hpp"

namespace pillarbox::imap {

namespace {

// Names and patterns starting with any case of "INBOX" (then "/" or the
// end) are compared with "INBOX" written in upper case.
std::string inbox_upper(std::string_view s) {
  std::string out(s);
  if (out.size() >= 5 && ascii_upper(out.substr(0, 5)) == "INBOX" && (out.size() == 5 || out[5] == '/')) {
    for (std::size_t i = 0; i < 5; ++i) out[i] = "INBOX"[i];
  }
  return out;
}

}  // namespace

std::string list_pattern(std::string_view reference, std::string_view pattern) {
  if (!pattern.empty() && pattern.front() == '/') return std::string(pattern);
  std::string out(reference);
  if (!out.empty() && out.back() == '/' && !pattern.empty() && pattern.front() == '/') out.pop_back();
  out += pattern;
  return out;
}

bool list_matches(std::string_view pattern, std::string_view name) {
  const std::string p = inbox_upper(pattern);
  const std::string n = inbox_upper(name);
  // row[j]: the pattern's first i characters match the name's first j.
  std::vector<char> row(n.size() + 1, 0), next(n.size() + 1, 0);
  row[0] = 1;
  for (char pc : p) {
    next[0] = (pc == '*' || pc == '%') ? row[0] : 0;
    for (std::size_t j = 1; j <= n.size(); ++j) {
      const char nc = n[j - 1];
      if (pc == '*') {
        next[j] = static_cast<char>(row[j] || next[j - 1]);
      } else if (pc == '%') {
        next[j] = static_cast<char>(row[j] || (next[j - 1] && nc != '/'));
      } else {
        next[j] = static_cast<char>(row[j - 1] && pc == nc);
      }
    }
    row.swap(next);
  }
  return row[n.size()] != 0;
}

}  // namespace pillarbox::imap
