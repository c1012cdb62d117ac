// The SMTP client session (RFC 5321 §3, §4.1, §4.5.3.2) that delivers mail to
// a relay or an MX host: greeting, EHLO with the HELO fallback, STARTTLS (RFC
// 3207), AUTH PLAIN/LOGIN/CRAM-MD5 (RFC 4954), transactions with PIPELINING
// (RFC 2920), SIZE, 8BITMIME, SMTPUTF8 and DSN parameters, per-recipient
// results, several transactions per connection. Bytes in, actions out: no
// sockets, no clock, no TLS, no DNS; choosing hosts and retrying belong to
// the host (senderd).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/client_action.hpp"
#include "proto/smtp/client_auth.hpp"
#include "proto/smtp/client_data.hpp"
#include "proto/smtp/client_ehlo.hpp"
#include "proto/smtp/client_options.hpp"
#include "proto/smtp/client_reply_parser.hpp"
#include "proto/smtp/client_transaction.hpp"

namespace pillarbox::smtp::client {

// Why a session ended before its work was done.
struct Failure {
  Stage stage = Stage::Connect;
  Reply reply;          // the server's reply, or the client's own reason
  bool remote = false;  // `reply` came from the server
};

// One connection. Not thread-safe; single owner (senderd's connection glue).
//
// Contract with the host:
//  - Every call returns the actions to carry out in order; consecutive Writes
//    are merged. Call on_written() once per Write action when its bytes have
//    been handed to the socket: message text is released one block
//    (Limits::data_block) at a time, after every earlier Write was confirmed.
//  - After every call, (re)arm one timer with timeout(), or cancel it when
//    that is nullopt; when it fires call on_timeout().
//  - Transactions given to send() run in order once the session is ready
//    (greeted, TLS and AUTH done as configured). Each ends with exactly one
//    Result action, whatever happens: refused locally, by the server, or
//    failed with the session (timeout, connection lost, greeting refused,
//    TLS or AUTH impossible). Temporary vs permanent follows the reply's
//    first digit: 5xx permanent; 4xx, lost connections and timeouts temporary.
//  - Replies are not read while the message text is being written (they
//    stay buffered, at most max_reply_line * max_reply_lines octets); one
//    that arrives early counts as the reply to the final ".".
//  - StartTls: run the handshake, then on_tls_started(); a failed handshake
//    is on_closed(). Bytes received between the 220 and on_tls_started() are
//    discarded (response injection, CVE-2011-0411 class).
//  - quit() sends QUIT once the queue is empty, then Close. Close is also
//    emitted after failures; on_closed() itself needs no Close.
//  - A session that failed (failure() set) or closed takes no more work:
//    send() answers at once with a failed Result.
class Session {
 public:
  enum class State {
    Idle,          // before on_connected()
    Greeting,      // awaiting the 220
    Ehlo,          // EHLO sent
    Helo,          // HELO sent after EHLO was refused
    StartTls,      // STARTTLS sent
    TlsHandshake,  // the host runs the handshake
    Auth,          // in the AUTH exchange
    Ready,         // no reply awaited: the next transaction or QUIT may go
    Rset,          // RSET sent after a failed transaction
    Transaction,   // MAIL / RCPT / DATA / end-of-data replies awaited
    Message,       // writing the message text
    Quit,          // QUIT sent
    Closed,
  };

  explicit Session(Options options, Timeouts timeouts = {}, Limits limits = {});

  std::vector<Action> on_connected();                         // TCP (and, for Implicit, TLS) is up
  std::vector<Action> on_connect_failed(std::string_view reason);  // every transaction fails, stage Connect
  std::vector<Action> on_bytes(std::string_view bytes);
  std::vector<Action> on_written();
  std::vector<Action> on_tls_started();
  std::vector<Action> on_timeout();
  std::vector<Action> on_closed();

  std::vector<Action> send(Transaction transaction);
  std::vector<Action> quit();

  // The timer to arm now: the RFC 5321 §4.5.3.2 value for the reply (or the
  // block write) being waited for; nullopt when nothing is awaited.
  std::optional<std::chrono::seconds> timeout() const;

  State state() const { return state_; }
  bool closed() const { return state_ == State::Closed; }
  // Ready with nothing queued: another transaction can use this connection.
  bool idle() const { return state_ == State::Ready && !active_ && queue_.empty(); }
  const Capabilities& capabilities() const { return caps_; }
  bool tls_active() const { return tls_active_; }
  bool authenticated() const { return authenticated_; }
  const std::optional<Failure>& failure() const { return failure_; }

 private:
  enum class Expect { Mail, Rcpt, Data, Dot };
  enum class RcptState : char { Unsent, Waiting, Accepted, Decided };
  struct Active {
    Transaction tx;
    TransactionResult result;
    std::vector<RcptState> rcpts;
    std::vector<std::size_t> sent;   // indexes of recipients, in the order RCPTs were sent
    std::size_t next_reply = 0;      // index into `sent` of the next RCPT reply
    std::deque<Expect> expect;       // replies awaited, in order
    bool mail_ok = false;
    std::size_t accepted = 0;
    bool lone_dot = false;           // 354 with nobody to send to: "." alone (RFC 2920 §3.1)
    DotStuffer stuffer;
  };
  enum class End { Quit, Close, None };

  // Input and output (client_session.cpp).
  void run();
  void dispatch(const Reply& reply);
  void write(std::string line);  // adds CRLF
  void emit(Action action);
  std::vector<Action> flush();

  // Connection set-up (client_session.cpp).
  void on_greeting(const Reply& reply);
  void on_ehlo(const Reply& reply);
  void on_helo(const Reply& reply);
  void after_hello();
  void on_starttls(const Reply& reply);
  void start_auth_or_ready();
  void on_auth(const Reply& reply);
  void on_unsolicited(const Reply& reply);

  // Failures (client_session.cpp).
  void fail_session(Reply reply, bool remote, Stage stage, End end);
  void fail_local(int code, const char* enhanced, std::string text, Stage stage, End end);
  void protocol_failure(const std::string& what);
  Stage current_stage() const;
  std::string waiting_for() const;

  // Transactions (client_session_mail.cpp).
  void ready();
  bool start_transaction();
  void send_commands();
  void on_rset(const Reply& reply);
  void on_transaction_reply(const Reply& reply);
  void on_mail(const Reply& reply);
  void on_rcpt(const Reply& reply);
  void on_data(const Reply& reply);
  void on_dot(const Reply& reply);
  void send_rcpt(std::size_t index);
  void send_block();
  void decide(std::size_t index, const Reply& reply, Outcome outcome, Stage stage, bool remote = true);
  void decide_open(const Reply& reply, Outcome outcome, Stage stage, bool remote);
  void finish_transaction(bool needs_rset);
  TransactionResult failed_result(const Transaction& tx, const Failure& failure) const;

  Options options_;
  Timeouts timeouts_;
  Limits limits_;
  State state_ = State::Idle;
  ReplyParser parser_;
  std::string input_;  // received, not yet parsed
  std::vector<Action> out_;
  std::size_t unacked_writes_ = 0;
  Capabilities caps_;
  bool tls_active_ = false;
  bool starttls_tried_ = false;
  bool authenticated_ = false;
  std::optional<SaslClient> sasl_;
  std::string sasl_error_;  // set when the exchange was cancelled with "*"
  std::deque<Transaction> queue_;
  std::optional<Active> active_;
  bool needs_rset_ = false;
  bool quit_requested_ = false;
  std::optional<Failure> failure_;
};

}  // namespace pillarbox::smtp::client
