// libFuzzer target for the access-rule text form (libcore/access/rule_text).
// Built with PILLARBOX_FUZZ (tests/fuzz/CMakeLists.txt); run
// `build/fuzz/bin/access_rules_fuzz -max_total_time=60`.
// Oracle: whatever parses prints and parses back to the same rule set.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libcore/access/rule_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = pillarbox::access::parse_rules(text);
  if (!parsed) return 0;
  auto again = pillarbox::access::parse_rules(pillarbox::access::format_rules(*parsed));
  if (!again || !(*again == *parsed)) std::abort();
  return 0;
}
