// Incremental command-line framer for the line-based protocols (SMTP RFC 5321
// §2.3.8, POP3 RFC 1939 §3: commands end with CRLF). It sees bytes only: no
// commands, no replies. It keeps its state between calls, so any slicing of
// the stream gives the same results.
#pragma once

#include <cstddef>
#include <string_view>

namespace pillarbox::framing {

// A line ends at LF; a CR right before it is dropped, so a bare LF ends a
// line too (clients typed at by hand, and some scripts, send bare LF). A line
// whose content exceeds max_line is reported once as TooLong as soon as that
// is known; the rest of it, up to and including its LF, is skipped silently
// however many calls that takes. Octets are otherwise passed through as they
// are: the session decides what a NUL or a bare CR inside a line means.
class LineFramer {
 public:
  enum class Kind { Line, NeedMore, TooLong };
  struct Result {
    Kind kind = Kind::NeedMore;
    std::string_view line;     // Line: content without CR LF, a view into the input
    std::size_t consumed = 0;  // octets of the input used; the caller drops them
  };

  explicit LineFramer(std::size_t max_line) : max_line_(max_line) {}

  // Looks for one line at the start of `input`. NeedMore may still consume
  // octets (those of a line being skipped).
  Result next(std::string_view input);
  void reset() { skipping_ = false; }  // forget a line being skipped
  bool skipping() const { return skipping_; }

 private:
  std::size_t max_line_;
  bool skipping_ = false;
};

}  // namespace pillarbox::framing
