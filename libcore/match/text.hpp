// Small text helpers shared by the matchers and the router: ASCII case folding
// and splitting "local@domain". Deliberately ASCII-only: non-ASCII characters
// compare exactly (no locale, no Unicode case tables).
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::match {

char ascii_lower(char c);
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive

// Splits at the LAST '@' (a quoted local part may contain '@').
struct AddressParts {
  std::string_view local;
  std::string_view domain;
  bool has_at = false;
};
AddressParts split_address(std::string_view address);

}  // namespace pillarbox::match
