// libFuzzer target for the bootstrap config parser (libcore/config). Built by
// `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`; run
// `build/fuzz/bin/config_parse_fuzz -max_total_time=60`.
// Oracle: parse never crashes, and every error message names the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "libcore/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = pillarbox::config::parse(text, "fuzz.conf", "/base");
  if (!r && r.error().message.rfind("fuzz.conf:", 0) != 0) std::abort();
  return 0;
}
