// Incremental IMAP command framer (RFC 3501 §2.2, §4.3, §7.5; RFC 7888
// LITERAL+; RFC 2177 IDLE's DONE line). Splits client input into whole
// commands, including their literals, and says when a synchronising literal
// needs a "+" continuation. Sees bytes only: it does not parse commands and
// writes no replies. Any slicing of the input gives the same results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/imap/limits.hpp"

namespace pillarbox::imap {

// A command is complete at the end of a line that does not end in a literal
// marker ("{n}" or "{n+}"). Lines end at LF; a CR right before it is
// dropped, so a bare LF ends a line too. The command comes out in canonical
// form: each line that announced a literal followed by CRLF and the literal's
// octets, and the last line without CRLF — the form parse_command() reads.
// Empty lines between commands are skipped.
//
// Limits (limits.hpp), each reported once, with the tag of the command when
// it has one, after which the rest of the command is read and dropped:
// - LineTooLong: a line over max_line octets; it is skipped to its LF (and,
//   when it ended in "{n+}", so are that literal and what follows it).
// - LiteralTooBig: "{n}" or "{n+}" over max_literal. A synchronising one
//   ends the command (the client waits for a "+" that never comes, and takes
//   the tagged reply instead); a non-synchronising one is read and dropped
//   with the rest of the command (RFC 7888 §4). The host answers
//   "tag NO [TOOBIG] ..." (or BAD).
// - CommandTooLong: lines and literals together over max_command.
class CommandFramer {
 public:
  enum class Kind {
    NeedMore,        // all of the input was used (or none can be yet)
    Command,         // `command` holds a whole command
    Continue,        // a synchronising literal is announced: write "+ Ready for literal data"
    IdleDone,        // after begin_idle(): the line was "DONE" (any case)
    IdleOther,       // after begin_idle(): another line (in `command`); the idle ends
    LineTooLong,
    LiteralTooBig,
    CommandTooLong,
  };
  struct Result {
    Kind kind = Kind::NeedMore;
    std::size_t consumed = 0;    // octets of the input used; the caller drops them
    std::string command;         // Command, IdleOther
    std::string tag;             // errors and Continue: the command's tag, if it has a valid one
    std::uint64_t literal_size = 0;  // Continue, LiteralTooBig: the announced size
    bool non_synchronising = false;  // LiteralTooBig: "{n+}" (the octets will be skipped)
  };

  explicit CommandFramer(Limits limits = {}) : limits_(limits) {}

  // Looks for the next event at the start of `input`. Octets are copied into
  // the framer as they are used, so the caller may drop `consumed` octets
  // every time; call again with the rest until NeedMore.
  Result next(std::string_view input);

  // The next line is IDLE's continuation (RFC 2177): "DONE", or anything
  // else, which is returned as it is (literal markers are not honoured).
  void begin_idle() { idle_ = true; }
  bool idle() const { return idle_; }

  // True while inside a command (between a literal marker and the end).
  bool in_command() const { return !command_.empty() || !line_.empty() || literal_left_ > 0; }

 private:
  Result end_of_line(std::size_t consumed);
  Result too_long(Kind kind, std::size_t consumed);
  void reset();

  Limits limits_;
  std::string command_;  // the command so far (canonical); not kept while discarding
  std::string line_;     // the current line so far; only its tail while discarding
  std::uint64_t literal_left_ = 0;
  std::uint64_t command_size_ = 0;
  std::string error_tag_;  // the tag, kept while discarding
  bool discarding_ = false;
  bool idle_ = false;
};

// The tag at the start of a command (RFC 3501 §9 tag: 1*<ASTRING-CHAR
// except "+">) when it is followed by a space or the end; empty otherwise.
std::string_view command_tag(std::string_view command);

}  // namespace pillarbox::imap
