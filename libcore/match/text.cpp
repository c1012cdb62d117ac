// ASCII case folding and address splitting (see text.hpp).
#include "libcore/match/text.hpp"

namespace pillarbox::match {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

AddressParts split_address(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {address, {}, false};
  return {address.substr(0, at), address.substr(at + 1), true};
}

}  // namespace pillarbox::match
