// The SMTP server session (RFC 5321 with ESMTP: RFC 1870 SIZE, RFC 2920
// PIPELINING, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC 2034 ENHANCEDSTATUSCODES,
// RFC 3030 CHUNKING, RFC 3461 DSN, RFC 3207 STARTTLS, RFC 4954 AUTH PLAIN/LOGIN).
// Bytes in, actions out: no sockets, no clock, no store, no TLS. Policy (who may
// send, relay, log in; where mail goes) belongs to the host, asked through
// pending actions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/action.hpp"
#include "proto/smtp/command.hpp"
#include "proto/smtp/envelope.hpp"
#include "proto/smtp/framer.hpp"
#include "proto/smtp/limits.hpp"
#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp {

// One connection. Not thread-safe; single owner (the connection glue).
//
// Contract with the host:
//  - Every call returns the actions to carry out in order; consecutive Writes
//    are merged into one.
//  - Authenticate / CheckMail / CheckRcpt / Deliver make the session pending():
//    it stops reading pipelined input (bytes given meanwhile are buffered) until
//    the matching on_*_result() call; a result nobody asked for is ignored.
//    The host should stop reading the socket while pending(); more than
//    max_message_size + max_auth_line buffered octets close the session (421).
//  - Refusals from the host and the session's own error replies count towards
//    max_errors (not 452 too many recipients, 552 too large, delivery results).
//  - StartTls: the host runs the handshake and calls on_tls_started(); plaintext
//    that follows the STARTTLS line, or arrives before on_tls_started(), is
//    discarded (CVE-2011-0411 class).
//  - Close: write what came before, then close. Once closed() every call
//    returns nothing. There is no clock here: the host owns the idle timer and
//    calls on_timeout().
class Session {
 public:
  enum class State {
    Connected,     // no EHLO/HELO yet
    Ready,         // greeted, no mail transaction
    Mail,          // MAIL accepted; RCPTs being collected
    Chunking,      // in a BDAT transaction, between chunks
    Data,          // reading the text after DATA
    Chunk,         // reading a BDAT chunk
    AuthResponse,  // reading a SASL response line
    Closed,
  };

  Session(Options options, Limits limits);

  std::vector<Action> start();  // "220 HOST ESMTP Pillarbox"
  std::vector<Action> on_bytes(std::string_view bytes);
  std::vector<Action> on_tls_started();  // forget EHLO, AUTH and the transaction (RFC 3207 §4.2)
  // 235 2.7.0 / 535 5.7.8; `user` is the canonical login ("" keeps the SASL user name).
  std::vector<Action> on_auth_result(bool ok, std::string user);
  std::vector<Action> on_mail_result(std::optional<Reply> refusal);  // nullopt: 250 2.1.0 Ok
  std::vector<Action> on_rcpt_result(std::optional<Reply> refusal);  // nullopt: 250 2.1.5 Ok
  std::vector<Action> on_deliver_result(Reply reply);  // e.g. 250 2.0.0 Ok: queued as <id>
  std::vector<Action> on_timeout();  // 421 4.4.2 HOST Error: timeout exceeded, Close

  bool pending() const { return waiting_ != Waiting::Nothing; }
  bool closed() const { return state_ == State::Closed; }
  State state() const { return state_; }
  const std::string& user() const { return user_; }  // authenticated login, "" if none
  std::size_t buffered() const { return input_.size(); }

 private:
  enum class Waiting { Nothing, Tls, Auth, Mail, Rcpt, Deliver };
  enum class AuthStep { PlainResponse, LoginUser, LoginPassword };
  using Handler = void (Session::*)(const Command&);
  struct CommandSpec {
    Verb verb;
    Handler handler;
    unsigned flags;
  };
  // Command table flags.
  static constexpr unsigned AllowedBeforeHelo = 1U << 0;  // else 503 send HELO/EHLO first
  static constexpr unsigned AllowedInChunking = 1U << 1;  // else 503 while a BDAT transaction is open
  static constexpr unsigned NotInTransaction = 1U << 2;   // else 503 during MAIL ... DATA
  static constexpr unsigned NeedsAuthToSubmit = 1U << 3;  // submission: 530 before AUTH
  static const CommandSpec kCommands[];
  static const CommandSpec& command_spec(Verb verb);

  // Input loop (session.cpp).
  void run();
  std::size_t feed_line(std::string_view input);
  void handle_command(std::string_view line);
  std::optional<Reply> refusal_by_flags(unsigned flags) const;

  // Replies and bookkeeping (session.cpp).
  void write(const Reply& reply);
  void refuse(const Reply& reply);  // an error reply; counts towards max_errors
  void close_with(const Reply& reply);
  void emit(Action action);
  void reset_transaction();
  std::vector<Action> flush();
  bool in_transaction() const;
  bool auth_required() const;
  bool auth_offered() const;
  std::string protocol() const;

  // Commands (session_commands.cpp).
  void do_ehlo(const Command& cmd);
  void do_helo(const Command& cmd);
  void do_mail(const Command& cmd);
  void do_rcpt(const Command& cmd);
  void do_rset(const Command& cmd);
  void do_noop(const Command& cmd);
  void do_quit(const Command& cmd);
  void do_vrfy(const Command& cmd);
  void do_help(const Command& cmd);
  void do_starttls(const Command& cmd);

  // Message text (session_data.cpp).
  void do_data(const Command& cmd);
  void do_bdat(const Command& cmd);
  std::size_t feed_data(std::string_view input);
  std::size_t feed_chunk(std::string_view input);
  void finish_chunk();
  void finish_message(std::string message);

  // AUTH (session_auth.cpp).
  void do_auth(const Command& cmd);
  void handle_auth_response(std::string_view line);
  void start_sasl(AuthStep first, const std::optional<std::string>& initial_response);
  void continue_sasl(std::string response);
  void authenticate(std::string authzid, std::string user, std::string password);

  Options options_;
  Limits limits_;
  State state_ = State::Connected;
  Waiting waiting_ = Waiting::Nothing;
  std::string input_;  // received, not yet consumed
  std::vector<Action> out_;
  LineFramer lines_;
  DataFramer data_;
  ChunkFramer chunk_;
  MessageBuffer message_;
  int errors_ = 0;
  bool esmtp_ = false;       // EHLO rather than HELO
  std::string user_;
  Envelope envelope_;
  std::string pending_rcpt_;  // address being checked by the host
  RcptParams pending_rcpt_params_;
  MailParams pending_mail_;
  std::string pending_mail_from_;
  // BDAT: the chunk being read and what to do when it ends.
  std::uint64_t chunk_size_ = 0;
  bool chunk_last_ = false;
  std::optional<Reply> chunk_refusal_;  // refused BDAT: its octets are skipped
  State after_chunk_ = State::Ready;
  AuthStep auth_step_ = AuthStep::PlainResponse;
  std::string login_user_;  // LOGIN's user name; then the user being authenticated
};

}  // namespace pillarbox::smtp
