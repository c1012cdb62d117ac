// The POP3 server session (RFC 1939, RFC 2449 CAPA and response codes, RFC
// 3206 AUTH/SYS codes, RFC 2595 STLS, RFC 5034 AUTH PLAIN/LOGIN with an
// initial response). Bytes in, actions out: no sockets, no clock, no store,
// no TLS. Who may log in and what the maildrop holds belong to the host,
// asked through pending actions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/action.hpp"
#include "proto/pop3/command.hpp"
#include "proto/framing/line_framer.hpp"
#include "proto/pop3/limits.hpp"
#include "proto/pop3/maildrop.hpp"
#include "proto/pop3/multiline.hpp"

namespace pillarbox::pop3 {

using LineFramer = framing::LineFramer;

// The host's answer to an Authenticate action.
enum class AuthResult {
  Ok,          // credentials good and the maildrop locked: TRANSACTION state
  Invalid,     // unknown user or wrong password (one text for both)
  InUse,       // the maildrop is locked by another session (RFC 2449 [IN-USE])
  Temporary,   // the store failed; try later (RFC 3206 [SYS/TEMP])
  NotAllowed,  // the access rules or a lock-out refuse this login from this address
};

// One connection. Not thread-safe; single owner (the connection glue).
//
// Contract with the host:
//  - Every call returns the actions to carry out in order; consecutive Writes
//    are merged up to MultilineWriter::kChunkSize, so a large message comes
//    as several Writes. Every Write is whole CRLF-ended lines.
//  - Authenticate / Retrieve / Commit make the session pending(): it stops
//    reading pipelined input (bytes given meanwhile are buffered) until the
//    matching on_*() call; an answer nobody asked for is ignored. The host
//    should stop reading the socket while pending(); more than
//    Limits::max_pending_input buffered octets close the session.
//  - The session's own -ERR replies and refused logins count towards
//    max_errors; a message missing from the store does not (not the client's
//    fault).
//  - StartTls: the host runs the handshake and calls on_tls_started();
//    plaintext that follows the STLS line, or arrives before
//    on_tls_started(), is discarded (CVE-2011-0411 class).
//  - Commit is asked only after QUIT in TRANSACTION state (RFC 1939 §6). A
//    session closed any other way (timeout, too many errors, the host
//    destroying it on a dropped connection) removes nothing; the host only
//    unlocks the maildrop.
//  - Close: write what came before, then close. Once closed() every call
//    returns nothing. There is no clock here: the host owns the idle timer
//    (RFC 1939 §3: at least 10 minutes) and calls on_timeout().
class Session {
 public:
  enum class State {
    Authorization,  // greeted, not logged in (also while Authenticate is pending)
    AuthResponse,   // reading a SASL response line after "+ "
    Transaction,    // logged in, maildrop locked
    Update,         // QUIT in TRANSACTION: waiting for the Commit answer
    Closed,
  };

  Session(Options options, Limits limits);

  // "+OK Pillarbox POP3 ready <timestamp>" when APOP is offered, else
  // "+OK Pillarbox POP3 ready".
  std::vector<Action> start();
  std::vector<Action> on_bytes(std::string_view bytes);
  // The STLS handshake is done: TLS is active, a USER name given before is
  // forgotten, the framer starts afresh (RFC 2595 §4).
  std::vector<Action> on_tls_started();
  // Answer to Authenticate. Ok: `maildrop` (already locked by the host) is
  // the session's view until QUIT. Otherwise a -ERR with the matching
  // response code and the client may try again.
  std::vector<Action> on_auth_result(AuthResult result, std::vector<MaildropEntry> maildrop = {});
  // The same with the host's canonical login for user() ("" keeps the name
  // the client gave: the authzid for PLAIN when there is one, else the user).
  std::vector<Action> on_auth_result(AuthResult result, std::vector<MaildropEntry> maildrop,
                                     std::string canonical_user);
  // Answer to Retrieve: the whole stored message (CRLF line ends). The reply
  // is "+OK <size> octets" (size from the maildrop, as LIST says) or "+OK Top
  // of message follows", the dot-stuffed text (headers, blank line and the
  // first N body lines for TOP), CRLF when the text did not end with one,
  // and "." CRLF.
  std::vector<Action> on_message(std::string_view raw);
  // The message left the store meanwhile (expunged over IMAP):
  // "-ERR [SYS/PERM] Message N no longer available"; the session continues.
  std::vector<Action> on_message_missing();
  // Answer to Commit: ok -> "+OK Pillarbox signing off (N messages left)",
  // else "-ERR [SYS/TEMP] Some deleted messages not removed"; Close either way.
  std::vector<Action> on_commit_result(bool ok);
  std::vector<Action> on_timeout();  // "-ERR Disconnected for inactivity", Close

  bool pending() const { return waiting_ != Waiting::Nothing; }
  bool closed() const { return state_ == State::Closed; }
  State state() const { return state_; }
  const std::string& user() const { return user_; }  // authenticated login, "" before
  std::size_t buffered() const { return input_.size(); }
  const Maildrop& maildrop() const { return maildrop_; }

 private:
  enum class Waiting { Nothing, Tls, Auth, Message, Commit };
  enum class SaslStep { PlainResponse, LoginUser, LoginPassword };
  using Handler = void (Session::*)(const Command&);
  struct CommandSpec {
    Verb verb;
    Handler handler;
    unsigned flags;
  };
  // Command table flags: the states a command is valid in, and its line limit.
  static constexpr unsigned InAuthorization = 1U << 0;
  static constexpr unsigned InTransaction = 1U << 1;
  static constexpr unsigned LongLine = 1U << 2;  // max_auth_line rather than max_command_line
  static const CommandSpec kCommands[];
  static const CommandSpec& command_spec(Verb verb);

  // Input loop and dispatch (session.cpp).
  void run();
  std::size_t feed_line(std::string_view input);
  void handle_command(std::string_view line);

  // Replies and bookkeeping (session.cpp).
  void ok(std::string_view text);
  void refuse(std::string_view text);  // "-ERR text"; counts towards max_errors
  void challenge(std::string_view base64);  // "+ base64", a SASL continuation
  void write_multiline(MultilineWriter& writer);
  void close_with(std::string_view line);
  void emit(Action action);
  std::vector<Action> flush();

  // Session commands (session_commands.cpp): CAPA, QUIT, NOOP, STLS.
  void do_capa(const Command& cmd);
  void do_quit(const Command& cmd);
  void do_noop(const Command& cmd);
  void do_stls(const Command& cmd);

  // Logging in (session_login.cpp): USER, PASS, APOP, AUTH.
  void do_user(const Command& cmd);
  void do_pass(const Command& cmd);
  void do_apop(const Command& cmd);
  void do_auth(const Command& cmd);
  std::optional<std::string> plain_login_refusal() const;  // the -ERR text, if refused
  bool plain_login_offered() const { return !plain_login_refusal(); }
  bool apop_offered() const { return !options_.apop_timestamp.empty(); }
  void handle_sasl_response(std::string_view line);
  void start_sasl(SaslStep first, const std::optional<std::string>& initial_response);
  void continue_sasl(std::string response);
  void authenticate(std::string mechanism, std::string authzid, std::string user, std::string password);

  // The maildrop (session_maildrop.cpp): STAT, LIST, UIDL, RETR, TOP, DELE, RSET.
  void do_stat(const Command& cmd);
  void do_list(const Command& cmd);
  void do_uidl(const Command& cmd);
  void do_retr(const Command& cmd);
  void do_top(const Command& cmd);
  void do_dele(const Command& cmd);
  void do_rset(const Command& cmd);
  std::optional<std::size_t> live_message(const MessageNumber& number);  // refuses when nullopt
  void retrieve(std::size_t index, std::optional<std::size_t> top_lines);

  Options options_;
  Limits limits_;
  State state_ = State::Authorization;
  Waiting waiting_ = Waiting::Nothing;
  std::string input_;  // received, not yet consumed
  std::vector<Action> out_;
  LineFramer lines_;
  int errors_ = 0;
  std::size_t commands_ = 0;
  std::string user_;          // the authenticated login
  std::string user_command_;  // USER's name, waiting for PASS
  std::string login_user_;    // the name being authenticated; LOGIN's name between steps
  SaslStep sasl_step_ = SaslStep::PlainResponse;
  Maildrop maildrop_;
  std::size_t retrieving_ = 0;                  // index asked of the host
  std::optional<std::size_t> retrieving_top_;  // TOP's line count
};

}  // namespace pillarbox::pop3
