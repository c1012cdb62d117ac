// LIST and LSUB pattern matching (RFC 3501 §6.3.8): "*" matches anything,
// "%" anything but the hierarchy delimiter "/". Works on UTF-8 names (the
// delimiter is ASCII, so multi-octet characters never split a level).
// "INBOX" matches in any case at the start of a pattern.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::imap {

// The canonical pattern of a reference and a pattern: joined, with the
// reference's trailing "/" not doubled; a pattern starting with "/" ignores
// the reference.
std::string list_pattern(std::string_view reference, std::string_view pattern);

bool list_matches(std::string_view pattern, std::string_view name);

}  // namespace pillarbox::imap
