// What a POP3 client reads (RFC 1939 §3): status lines "+OK" / "-ERR" with
// the RFC 2449 §8 response codes ("[IN-USE]", "[LOGIN-DELAY]", RFC 3206
// "[AUTH]", "[SYS/TEMP]", "[SYS/PERM]"), RFC 5034 §4 "+ " continuations of an
// AUTH exchange, and multi-line bodies: dot-unstuffed, the final "." removed,
// every line ended by CRLF, a size limit. Bytes only: which response a
// command expects is the client session's business. Any slicing of the stream
// gives the same responses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "proto/framing/line_framer.hpp"

namespace pillarbox::pop3::client {

// One status line. `code` is the response code without brackets, upper case
// ("IN-USE", "SYS/TEMP"), "" when there is none; `text` follows it (one space
// dropped), control octets turned into spaces.
struct Reply {
  bool ok = false;
  std::string code;
  std::string text;

  bool has_code(std::string_view c) const { return code == c; }
};

// "+OK" or "-ERR" (any case), then the end of the line or a space and text.
// nullopt for anything else. A "[...]" at the start of the text that is not
// a well-formed response code stays in the text.
std::optional<Reply> parse_status_line(std::string_view line);

// RFC 5034 §4: "+" alone or "+ " and the challenge; the challenge (still
// base64), or nullopt when the line is not a continuation.
std::optional<std::string> parse_continuation(std::string_view line);

// The reply as it came, for results and logs: "-ERR [IN-USE] locked", "+OK".
std::string format_reply(const Reply& reply);

// Reads one response at a time. Arm it with expect() before each response;
// then next() until it says Response or Error.
class ResponseReader {
 public:
  enum class Shape {
    Single,  // a status line (greeting, USER, STAT, DELE, ...)
    Multi,   // a status line; after "+OK" a dot-terminated body (LIST, UIDL, RETR, CAPA, ...)
    Sasl,    // a status line or a "+ " continuation (AUTH exchange)
  };
  enum class Kind { Response, NeedMore, Error, TooBig };
  struct Result {
    Kind kind = Kind::NeedMore;
    Reply reply;                   // Response: the status line
    bool continuation = false;     // Response to Sasl: "+ "; `challenge` holds its text
    std::string challenge;
    std::string body;              // Response to Multi with "+OK": the body (see below)
    std::string error;             // Error, TooBig: what went wrong, for the failure's text
    std::size_t consumed = 0;      // octets of the input used; the caller drops them
  };

  explicit ResponseReader(std::size_t max_line = 4096) : lines_(max_line), max_line_(max_line) {}

  // The next response has this shape; a Multi body may hold at most
  // `max_body` octets (counted as returned) before next() says TooBig.
  void expect(Shape shape, std::uint64_t max_body = 0);

  // Looks at the start of `input`. NeedMore consumes what it used: the body
  // is kept here between calls, so a partial line need not stay in the
  // caller's buffer and body lines have no length limit of their own.
  // Body: each line as received, a leading ".." reduced to "." (a lone
  // leading "." followed by more text is kept as it is, tolerantly), ended
  // by CRLF whatever ended it on the wire (CRLF or a bare LF; a CR not
  // before an LF is data). The line "." (CRLF or LF) ends the body and is
  // not part of it. Error: a status line that is neither +OK nor -ERR (nor a
  // continuation, for Sasl), or longer than max_line. After Error or TooBig
  // the stream is unusable.
  Result next(std::string_view input);

  bool in_body() const { return in_body_; }
  std::uint64_t body_size() const { return body_.size(); }  // octets of the body so far
  void reset();  // forget a partial response (after STLS, or a failure)

 private:
  enum class At { LineStart, Middle, Cr, Dot, DotCr };
  // Adds body octets from `input`; true when the final "." line was seen,
  // `used` is then the octets up to and including its LF.
  bool feed_body(std::string_view input, std::size_t& used);

  framing::LineFramer lines_;
  std::size_t max_line_;
  Shape shape_ = Shape::Single;
  std::uint64_t max_body_ = 0;
  bool in_body_ = false;
  Reply status_;     // of the multi-line response being read
  std::string body_;
  At at_ = At::LineStart;
};

}  // namespace pillarbox::pop3::client
