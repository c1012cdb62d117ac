// The work a host gives the POP3 client session and what it gets back: one
// Request (login, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT or a
// raw provider extension such as Demon's "*ENV n"), one Result each. Also
// the parsers of the STAT reply and the LIST / UIDL listings (RFC 1939 §5,
// §7). Plain data; the order of events is client_session's business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libcore/base/expected.hpp"
#include "proto/pop3/client_reply.hpp"

namespace pillarbox::pop3::client {

struct Request {
  enum class Kind { Login, Stat, List, Uidl, Retr, Top, Dele, Rset, Noop, Quit, Raw };
  Kind kind = Kind::Noop;
  std::uint64_t id = 0;    // the host's; copied into the Result
  std::size_t msg = 0;     // Retr, Top, Dele: the message number (from 1, RFC 1939 §5)
  std::size_t lines = 0;   // Top: body lines wanted; 0 gives the header and the blank line after it
  // Raw: the command line without CRLF ("*ENV 3"); quoted unmasked in
  // results and last_command_masked(), so it must hold no secret.
  std::string command;
  bool multiline = false;  // Raw: "+OK" opens a dot-terminated body

  static Request login() { return {Kind::Login, 0, 0, 0, {}, false}; }
  static Request stat() { return {Kind::Stat, 0, 0, 0, {}, false}; }
  static Request list() { return {Kind::List, 0, 0, 0, {}, false}; }
  static Request uidl() { return {Kind::Uidl, 0, 0, 0, {}, false}; }
  static Request retr(std::size_t msg) { return {Kind::Retr, 0, msg, 0, {}, false}; }
  static Request top(std::size_t msg, std::size_t lines) { return {Kind::Top, 0, msg, lines, {}, false}; }
  static Request dele(std::size_t msg) { return {Kind::Dele, 0, msg, 0, {}, false}; }
  static Request rset() { return {Kind::Rset, 0, 0, 0, {}, false}; }
  static Request noop() { return {Kind::Noop, 0, 0, 0, {}, false}; }
  static Request quit() { return {Kind::Quit, 0, 0, 0, {}, false}; }
  static Request raw(std::string command, bool multiline) {
    return {Kind::Raw, 0, 0, 0, std::move(command), multiline};
  }
};

enum class Outcome {
  Ok,              // "+OK" (and for multi-line responses the whole body)
  Refused,         // "-ERR" to this command; `reply` has the server's text and response code.
                   // The session goes on, except after a refused login (it QUITs).
  Unsupported,     // the server lacks what the request needs: STLS when required, a usable
                   // login method, UIDL. After a login the session QUITs.
  TooBig,          // the response passed Options::max_message_size or Limits::max_multiline:
                   // the connection is closed, the rest is not read
  Timeout,         // no complete response in time: the connection is closed
  ConnectionLost,  // the connection closed before the response was complete
  ProtocolError,   // the server's bytes are not POP3 (or a reply not fit for the command):
                   // the connection is closed
  NotRun,          // never sent: not logged in, already logged in, a bad request, or the
                   // session had ended (then `reply` and `remote` are the session's failure)
};

std::string_view to_string(Outcome outcome);  // "ok", "refused", "unsupported", "too-big", ...
std::string_view to_string(Request::Kind kind);  // "login", "stat", ... "raw"

struct ListEntry {
  std::size_t msg = 0;
  std::uint64_t size = 0;  // octets as the server counts them (RFC 1939 §5: with CRLF)
};

struct UidEntry {
  std::size_t msg = 0;
  std::string uid;  // 1 to 255 printable ASCII octets (RFC 1939 §7 says at most 70)
};

struct Result {
  std::uint64_t id = 0;
  Request::Kind kind = Request::Kind::Noop;
  std::size_t msg = 0;  // as requested
  Outcome outcome = Outcome::NotRun;
  // remote: the server's status line for this request (for a login, the last
  // one of the exchange). Otherwise the client's own account of what
  // happened, in `text` (ok false, no code).
  Reply reply;
  bool remote = false;
  // The command line this result answers, fit to quote: passwords and
  // digests masked ("PASS ****"); "" when nothing was sent.
  std::string command;
  std::size_t count = 0;         // Stat: messages
  std::uint64_t octets = 0;      // Stat: their size
  std::vector<ListEntry> list;   // List
  std::vector<UidEntry> uids;    // Uidl
  // Retr, Top: the message with CRLF line ends, dot-unstuffed, without the
  // final "."; Raw with `multiline`: the body the same way.
  std::string body;

  bool ok() const { return outcome == Outcome::Ok; }
};

// Whether trying again later, without telling anybody, is the right answer
// (REQUIREMENTS §6: a busy remote lock and "No such message" are transient):
// timeouts, lost connections, [IN-USE], [LOGIN-DELAY], [SYS/TEMP], and a
// -ERR without response code to RETR, TOP or DELE (the message went away
// under us). Everything else — [AUTH], [SYS/PERM], a plain -ERR to a login,
// Unsupported, TooBig, ProtocolError — needs a person.
bool is_transient(const Result& result);

// "+OK count octets" of STAT (RFC 1939 §5: the first two words).
Expected<std::pair<std::size_t, std::uint64_t>> parse_stat(const Reply& reply);
// "msg size" per line (anything after size is ignored, RFC 1939 §5).
// InvalidInput names the bad line; lines are checked against max_line.
Expected<std::vector<ListEntry>> parse_list(std::string_view body, std::size_t max_line);
// "msg uid" per line (RFC 1939 §7).
Expected<std::vector<UidEntry>> parse_uidl(std::string_view body, std::size_t max_line);

}  // namespace pillarbox::pop3::client
