// libFuzzer target for the bus FrameDecoder (proto/bus/frame.hpp). Built by
// `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++` (tests/fuzz/CMakeLists.txt);
// run `build/fuzz/bin/bus_frame_fuzz -max_total_time=60`.
//
// Oracles: the input fed whole and in two slices (cut where the first byte
// says) decodes identically, and every decoded message survives encode ->
// decode unchanged. Any difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "proto/bus/frame.hpp"

using namespace pillarbox;
using namespace pillarbox::bus;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

struct Outcome {
  std::vector<Message> messages;
  std::optional<Error> error;
  std::size_t buffered = 0;
};

Outcome decode(std::size_t max_frame, std::string_view bytes, std::size_t cut) {
  Outcome out;
  FrameDecoder decoder(max_frame);
  for (std::string_view slice : {bytes.substr(0, cut), bytes.substr(cut)}) {
    auto got = decoder.feed(slice);
    if (!got) {
      out.error = got.error();
      return out;
    }
    out.messages.insert(out.messages.end(), got->begin(), got->end());
  }
  out.buffered = decoder.buffered();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // A small limit reaches the TooBig path with short inputs too.
  const std::size_t max_frame = (data[0] & 1) != 0 ? 64 : kMaxFrame;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t cut = data[0] % (bytes.size() + 1);

  Outcome whole = decode(max_frame, bytes, bytes.size());
  Outcome split = decode(max_frame, bytes, cut);
  check(whole.error.has_value() == split.error.has_value());
  if (whole.error) {
    check(whole.error->code == split.error->code);
    check(whole.error->message == split.error->message);
    return 0;
  }
  check(whole.messages == split.messages);
  check(whole.buffered == split.buffered);

  for (const auto& message : whole.messages) {
    FrameDecoder again;
    auto back = again.feed(encode(message));
    check(back.ok() && back->size() == 1 && back->front() == message);
  }
  return 0;
}
