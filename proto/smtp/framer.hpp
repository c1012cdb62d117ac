// Incremental SMTP framers: command lines (proto/framing), DATA
// text with dot-unstuffing (RFC 5321 §4.5.2) and BDAT chunks (RFC 3030). They see bytes
// only: no commands, no replies. Each keeps its state between calls, so any
// slicing of the stream gives the same results.
//
// DATA ends only at CRLF "." CRLF with both CRLFs real: "\n.\r\n", "\r\n.\n"
// and "\n.\n" never end a message (SMTP smuggling). Bare LF and bare CR inside
// the text are stored as CRLF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/framing/line_framer.hpp"

namespace pillarbox::smtp {

// Collects message octets: counts all of them, stores them only while the
// count stays within max_size (and then drops what it stored, so an oversize
// message costs no memory while it is read to its end).
class MessageBuffer {
 public:
  explicit MessageBuffer(std::uint64_t max_size = 0) : max_size_(max_size) {}

  void append(std::string_view bytes);
  void reset(std::uint64_t max_size);

  std::uint64_t size() const { return size_; }     // octets seen, stored or not
  bool overflow() const { return size_ > max_size_; }
  const std::string& text() const { return text_; }  // empty once overflow()
  std::string take();                                // text(), leaving the buffer empty

 private:
  std::uint64_t max_size_ = 0;
  std::uint64_t size_ = 0;
  std::string text_;
};

// Command lines: the shared framer (proto/framing).
using LineFramer = framing::LineFramer;

// The text after DATA, up to and including the terminating "." CRLF. The
// message (dot-unstuffed, CRLF line ends, the final CRLF before "." included)
// goes to a MessageBuffer.
class DataFramer {
 public:
  struct Result {
    bool done = false;         // the terminator has been consumed
    std::size_t consumed = 0;  // octets of the input used
  };

  // Consumes `input` until the end of the message or of the input.
  Result feed(std::string_view input, MessageBuffer& out);
  void reset() { state_ = State::LineStart; }

 private:
  enum class State {
    LineStart,  // after a real CRLF (or at the start): "." may end or be stuffing
    LooseStart, // after a bare LF or bare CR: "." is stuffing only, never an end
    Text,
    Cr,         // CR seen, LF decides whether it was bare
    Dot,        // "." at LineStart
    DotCr,      // "." CR at LineStart: LF ends the message
    LooseDot,   // "." at LooseStart
  };
  // One octet; returns true when it ended the message.
  bool step(char c, MessageBuffer& out);

  State state_ = State::LineStart;
};

// Exactly `size` octets of a BDAT chunk, copied unchanged.
class ChunkFramer {
 public:
  struct Result {
    bool done = false;
    std::size_t consumed = 0;
  };

  void start(std::uint64_t size) { remaining_ = size; }
  // Consumes up to the chunk's end; `out` may be null to discard the octets.
  Result feed(std::string_view input, MessageBuffer* out);
  std::uint64_t remaining() const { return remaining_; }

 private:
  std::uint64_t remaining_ = 0;
};

}  // namespace pillarbox::smtp
