// The message text after DATA as the SMTP client writes it (RFC 5321
// §4.5.2 transparency, §4.1.1.4 end of data): dot-stuffing, CRLF line ends,
// the terminating CRLF "." CRLF; produced in blocks so the host can time each
// write (§4.5.3.2.5). Bytes only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pillarbox::smtp::client {

// Bare LF and bare CR become CRLF, so no "\n.\n" or "\r.\r" ever reaches the
// wire (SMTP smuggling); a "." starting a line is doubled; a message not
// ending in a line end gets one before the final ".". An empty message is
// just ".\r\n".
class DotStuffer {
 public:
  // The next block: the stuffed form of up to `max` octets of `message`
  // (the same string on every call), the terminator added once the message
  // is used up. A block may be a few octets over `max` (a doubled dot, a
  // CRLF, the terminator).
  std::string next(std::string_view message, std::size_t max);
  bool done() const { return done_; }  // the terminator has been produced

 private:
  std::size_t pos_ = 0;         // octets of the message used
  bool line_start_ = true;      // the next octet starts a line
  bool cr_ = false;             // a CR was seen; the next octet decides if it was bare
  bool done_ = false;
};

}  // namespace pillarbox::smtp::client
