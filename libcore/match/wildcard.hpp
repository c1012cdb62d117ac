// DOS-style wildcards (admin guide 3.2): '*' any run including none, '?'
// exactly one character (a UTF-8 code point, not a byte); anchored at both
// ends; ASCII case-insensitive; no escape character. Time is O(len(text) *
// ceil(len(pattern) / 64)), no backtracking: "*a*a*a*a*b" cannot blow up.
#pragma once

#include <string_view>

namespace pillarbox::match {

bool wildcard_match(std::string_view pattern, std::string_view text);

// True when the text contains '*' or '?', i.e. is a wildcard, not a literal.
bool has_wildcard(std::string_view text);

}  // namespace pillarbox::match
