// Bus framing (DESIGN.md §4): a frame is a 4-byte big-endian length N, then N
// bytes of UTF-8 JSON holding one message object. encode() writes frames;
// FrameDecoder turns arbitrary slices of a byte stream back into messages. No
// I/O: the caller owns the socket and closes it when the decoder fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "proto/bus/message.hpp"

namespace pillarbox::bus {

inline constexpr std::size_t kFrameHeader = 4;          // big-endian payload length
inline constexpr std::size_t kMaxFrame = 1024 * 1024;   // payload limit, header excluded
inline constexpr std::size_t kMaxDepth = 64;            // JSON nesting limit per frame

// One complete frame for `message`. Never fails: strings that are not valid
// UTF-8 are written with U+FFFD in their place. The result is not checked
// against kMaxFrame; a peer rejects a frame that is too large.
std::string encode(const Message& message);

// Incremental decoder for one connection. Not thread-safe; holds at most one
// incomplete frame (<= kFrameHeader + max_frame bytes).
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_frame = kMaxFrame);

  // Appends `bytes` (any slice of the stream, possibly empty) and returns the
  // messages completed by them, in order. Errors, after which the decoder is
  // poisoned and returns the same error from every later feed (the connection
  // must be closed; messages completed earlier in the failing feed are dropped):
  //  - ErrorCode::TooBig: a length above max_frame, reported as soon as its
  //    header is complete, without waiting for or buffering the body;
  //  - ErrorCode::InvalidInput: a zero length, a payload that is not JSON or
  //    nests deeper than kMaxDepth, or a message that to_message() rejects.
  Expected<std::vector<Message>> feed(std::string_view bytes);

  // Bytes received but not yet part of a returned message (header included).
  std::size_t buffered() const;

 private:
  Expected<void> take_header();
  Unexpected poison(Error error);

  std::size_t max_frame_;
  std::string header_;    // the current frame's header, kFrameHeader bytes once complete
  std::string body_;      // the part of its payload received so far
  std::size_t length_ = 0;  // payload length, valid once header_ is complete
  std::optional<Error> error_;
};

}  // namespace pillarbox::bus
