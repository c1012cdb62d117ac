// The POP3 client session (RFC 1939) that collectord uses to fetch a
// provider's mailbox: greeting, CAPA (RFC 2449), STLS (RFC 2595), login by
// USER/PASS, APOP or AUTH PLAIN / CRAM-MD5 (RFC 5034), then STAT, LIST, UIDL,
// RETR, TOP, DELE, RSET, NOOP, raw extension commands and QUIT. Bytes in,
// actions out: no sockets, no clock, no TLS, no MD5, no store. Which messages
// are new, when to delete and when to retry belong to the host. One command
// at a time: PIPELINING is not used.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/client_action.hpp"
#include "proto/pop3/client_auth.hpp"
#include "proto/pop3/client_capa.hpp"
#include "proto/pop3/client_options.hpp"
#include "proto/pop3/client_reply.hpp"
#include "proto/pop3/client_request.hpp"

namespace pillarbox::pop3::client {

// Why a session ended early (also what NotRun results carry afterwards).
struct Failure {
  Outcome outcome = Outcome::ConnectionLost;
  Reply reply;
  bool remote = false;
};

// One connection. Not thread-safe; single owner (collectord's connection glue).
//
// Contract with the host:
//  - Every call returns the actions to carry out in order; consecutive Writes
//    are merged. on_written() may be called for each Write; nothing waits on
//    it (commands are short).
//  - After every call, (re)arm one timer with timeout(), or cancel it when
//    that is nullopt; when it fires call on_timeout().
//  - submit() queues a request; requests run in order, one command on the
//    wire at a time, and each ends with exactly one Result action whatever
//    happens. Login must come first: it covers the greeting, CAPA, STLS and
//    the login exchange. Transaction requests queued behind it run once it
//    succeeded; ahead of it, or after it failed, they are NotRun. QUIT
//    before login just ends the session.
//  - A -ERR to a TRANSACTION command (RETR of a message that is gone, DELE,
//    a raw command the server does not know) is that request's Refused
//    result; the session goes on. A refused or impossible login ends the
//    session: the client sends QUIT itself, then Close.
//  - Deletions are certain only when QUIT's Result is Ok (RFC 1939 §6); a
//    QUIT that times out or loses the connection leaves them undecided —
//    the host must treat the messages as still there.
//  - StartTls: run the handshake, then on_tls_started(); a failed handshake
//    is on_closed(). Bytes received after the "+OK" to STLS and before
//    on_tls_started() are discarded (response injection, CVE-2011-0411
//    class), and CAPA is asked again over TLS (RFC 2595 §4).
//  - Close comes after fatal failures and after QUIT's reply; on_closed()
//    itself needs no Close. Once closed() every request is NotRun at once.
class Session {
 public:
  enum class State {
    Idle,           // before on_connected()
    Greeting,       // awaiting the greeting
    Authorization,  // greeted, nothing outstanding, not logged in
    Capa,           // CAPA sent
    Stls,           // STLS sent
    TlsHandshake,   // the host runs the handshake
    User,           // USER sent
    Pass,           // PASS sent
    Apop,           // APOP sent
    Sasl,           // in the AUTH exchange
    Transaction,    // logged in, nothing outstanding
    Command,        // a TRANSACTION command sent, its response awaited
    Quit,           // QUIT sent (asked for, or after a failed login)
    Closed,
  };

  explicit Session(Options options, Timeouts timeouts = {}, Limits limits = {});

  std::vector<Action> on_connected();  // TCP (and, for Implicit, TLS) is up
  std::vector<Action> on_connect_failed(std::string_view reason);  // every request: ConnectionLost
  std::vector<Action> on_bytes(std::string_view bytes);
  std::vector<Action> on_written();
  std::vector<Action> on_tls_started();
  std::vector<Action> on_timeout();
  std::vector<Action> on_closed();

  std::vector<Action> submit(Request request);

  // The timer to arm now (client_options.hpp Timeouts); nullopt when
  // nothing is awaited.
  std::optional<std::chrono::seconds> timeout() const;

  // The last command line written, masked for reports: "PASS ****",
  // "APOP user ****", "AUTH PLAIN ****", "**** (AUTH CRAM-MD5 response)".
  // "" before the first command. The QUIT the session sends by itself after
  // a failed login does not count: this still names the failed command.
  const std::string& last_command_masked() const { return last_command_; }

  State state() const { return state_; }
  bool closed() const { return state_ == State::Closed; }
  bool logged_in() const { return logged_in_; }
  // Logged in, nothing outstanding or queued.
  bool idle() const { return state_ == State::Transaction && !active_ && queue_.empty(); }
  const Capabilities& capabilities() const { return caps_; }
  bool tls_active() const { return tls_active_; }
  const std::optional<std::string>& apop_timestamp() const { return timestamp_; }
  std::optional<AuthMethod> method() const { return method_; }  // the login method once chosen
  const std::optional<Failure>& failure() const { return failure_; }

 private:
  enum class End { Quit, Close, None };
  using Shape = ResponseReader::Shape;

  // Input, output, failures (client_session.cpp).
  void run();
  bool awaiting() const;
  void dispatch(ResponseReader::Result& r);
  void send(const std::string& line, std::string masked, Shape shape, std::uint64_t max_body = 0);
  void emit(Action action);
  std::vector<Action> flush();
  void finish(Outcome outcome, Reply reply, bool remote, client::Result result = {});
  void not_run(const Request& request, std::string why);
  void fail_session(Outcome outcome, Reply reply, bool remote, End end);
  void fail_local(Outcome outcome, std::string text, End end);
  void protocol_failure(const std::string& what);
  std::string waiting_for() const;

  // Login (client_session_login.cpp).
  void on_greeting(const Reply& reply);
  void start_login();
  void on_capa(const ResponseReader::Result& r);
  void after_capa();
  void on_stls(const Reply& reply);
  void start_auth();
  void on_user(const Reply& reply);
  void on_password(const Reply& reply);  // PASS or APOP
  void on_sasl(const ResponseReader::Result& r);
  void logged_in(const Reply& reply);
  void login_refused(const Reply& reply);

  // Requests in TRANSACTION state (client_session_commands.cpp).
  void pump();
  void start_command(Request request);
  void on_command(ResponseReader::Result& r);
  void on_quit(const Reply& reply);

  Options options_;
  Timeouts timeouts_;
  Limits limits_;
  State state_ = State::Idle;
  ResponseReader reader_;
  std::string input_;  // received, not yet read
  std::vector<Action> out_;
  Capabilities caps_;
  bool tls_active_ = false;
  bool stls_tried_ = false;
  bool logged_in_ = false;
  std::optional<std::string> timestamp_;
  std::optional<AuthMethod> method_;
  std::optional<SaslLogin> sasl_;
  std::optional<Error> sasl_error_;  // set when the exchange was cancelled with "*"
  std::deque<Request> queue_;
  std::optional<Request> active_;   // the request whose Result is owed next
  std::string active_command_;      // masked command line of active_ sent last
  std::string last_command_;
  std::optional<Failure> failure_;
};

}  // namespace pillarbox::pop3::client
