// Incremental parser of the replies an SMTP client reads (RFC 5321 §4.2):
// "ddd-text" continuation lines, then "ddd text" (or a bare "ddd"), with the
// enhanced status code (RFC 2034, RFC 3463) split off. Bytes only: which
// reply a command expects is the client session's business. Any slicing of
// the stream gives the same replies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "proto/framing/line_framer.hpp"
#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp::client {

// Lines end at LF, a CR before it dropped (bare LF tolerated). The parsed
// Reply has the code, `enhanced` when the first line starts with "c.x.y"
// whose class c matches the code's first digit (2, 4 or 5), and `text`: the
// lines' texts joined by '\n', that enhanced code removed from the start of
// every line carrying it. Control octets in the text become spaces.
//
// Errors (Kind::Error, `error` says what) end the usefulness of the stream:
// a line not starting with three digits and " ", "-" or its end; a code
// outside 200..599 (1yz is not used by SMTP, RFC 5321 §4.2.1); a
// continuation line with a different code; a line longer than max_line
// octets (CRLF excluded); a reply of more than max_lines lines.
class ReplyParser {
 public:
  enum class Kind { Reply, NeedMore, Error };
  struct Result {
    Kind kind = Kind::NeedMore;
    Reply reply;               // Kind::Reply
    std::string error;         // Kind::Error
    std::size_t consumed = 0;  // octets of the input used; the caller drops them
  };

  explicit ReplyParser(std::size_t max_line = 4096, std::size_t max_lines = 100);

  // Looks for one complete reply at the start of `input`. Lines of a
  // multi-line reply are kept between calls, so NeedMore may consume octets.
  Result next(std::string_view input);
  void reset();  // forget a partial reply (after STARTTLS, or an error)

 private:
  Result add_line(std::string_view line, std::size_t consumed);

  framing::LineFramer lines_;
  std::size_t max_line_;
  std::size_t max_lines_;
  int code_ = 0;                    // of the reply being collected
  std::vector<std::string> texts_;  // its lines so far
};

// The reply as one string for results and logs, in wire form without CRs:
// "550 5.1.1 No such user"; multi-line "250-first\n250 last", the enhanced
// code repeated on every line. A line with no text ends after the code.
std::string format_reply(const Reply& reply);

// "x.y.z" with x one digit and y, z one to three digits (RFC 3463 §2).
bool is_enhanced_code(std::string_view s);

}  // namespace pillarbox::smtp::client
