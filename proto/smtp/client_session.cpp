// The client session's core (client_session.hpp): the input loop, connection
// set-up (greeting, EHLO/HELO, STARTTLS, AUTH), timeouts and failures.
// Transactions live in client_session_mail.cpp. RFC 5321 §3.1 (greeting,
// 554 then QUIT), §4.1.1.1 (HELO fallback), §4.5.3.2 (timeouts); RFC 3207
// §4.2 (forget the pre-TLS capabilities); RFC 4954 §4 (AUTH exchange, "*").
#include "proto/smtp/client_session.hpp"

#include <utility>

namespace pillarbox::smtp::client {

namespace {

bool positive(const Reply& reply) { return reply.code >= 200 && reply.code < 300; }

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

Session::Session(Options options, Timeouts timeouts, Limits limits)
    : options_(std::move(options)),
      timeouts_(timeouts),
      limits_(limits),
      parser_(limits.max_reply_line, limits.max_reply_lines),
      tls_active_(options_.tls == TlsPolicy::Implicit) {}

// ---- host events ----

std::vector<Action> Session::on_connected() {
  if (state_ != State::Idle) return {};
  state_ = State::Greeting;
  run();
  return flush();
}

std::vector<Action> Session::on_connect_failed(std::string_view reason) {
  if (state_ != State::Idle) return {};
  fail_local(451, "4.4.1", "connection to the remote server failed: " + std::string(reason), Stage::Connect,
             End::None);
  return flush();
}

std::vector<Action> Session::on_bytes(std::string_view bytes) {
  if (closed() || state_ == State::TlsHandshake) return {};  // plaintext after STARTTLS's 220: dropped
  input_.append(bytes);
  run();
  // Input is held back only before on_connected() and while the message
  // text is being written; a server that sends that much is not speaking SMTP.
  if (input_.size() > limits_.max_reply_line * limits_.max_reply_lines) {
    protocol_failure("too much input");
  }
  return flush();
}

std::vector<Action> Session::on_written() {
  if (unacked_writes_ > 0) --unacked_writes_;
  if (state_ == State::Message && unacked_writes_ == 0) {
    if (active_->stuffer.done()) {
      // The final "." has left: now the §4.5.3.2.6 wait for its reply.
      state_ = State::Transaction;
      active_->expect.push_back(Expect::Dot);
    } else {
      send_block();
    }
    run();  // a reply that came early, once the "." is on its way
  }
  return flush();
}

std::vector<Action> Session::on_tls_started() {
  if (state_ != State::TlsHandshake) return {};
  tls_active_ = true;
  caps_ = Capabilities{};  // RFC 3207 §4.2: what was offered in the clear no longer counts
  parser_.reset();
  input_.clear();
  write("EHLO " + options_.helo_name);
  state_ = State::Ehlo;
  return flush();
}

std::vector<Action> Session::on_timeout() {
  switch (state_) {
    case State::Idle:
    case State::Ready:
    case State::Closed: return {};  // no timer was asked for
    case State::Quit:
      emit({Action::Kind::Close, {}, {}});
      state_ = State::Closed;
      break;
    default: fail_local(451, "4.4.2", "timed out " + waiting_for(), current_stage(), End::Close);
  }
  return flush();
}

std::vector<Action> Session::on_closed() {
  if (closed()) return {};
  if (state_ == State::Quit) {
    state_ = State::Closed;
    return flush();
  }
  fail_local(451, "4.4.2", "lost connection with the remote server " + waiting_for(), current_stage(), End::None);
  return flush();
}

std::vector<Action> Session::send(Transaction transaction) {
  if (closed() || state_ == State::Quit) {
    Failure why = failure_ ? *failure_ : Failure{Stage::Connect, {451, "4.4.2", "connection already closed"}, false};
    if (why.stage > Stage::Mail) why.stage = Stage::Mail;
    emit({Action::Kind::Result, {}, failed_result(transaction, why)});
    return flush();
  }
  queue_.push_back(std::move(transaction));
  if (state_ == State::Ready) ready();
  return flush();
}

std::vector<Action> Session::quit() {
  if (closed() || state_ == State::Quit || quit_requested_) return {};
  quit_requested_ = true;
  if (state_ == State::Ready) ready();
  return flush();
}

std::optional<std::chrono::seconds> Session::timeout() const {
  switch (state_) {
    case State::Greeting: return timeouts_.greeting;
    case State::Ehlo:
    case State::Helo:
    case State::StartTls:
    case State::Auth:
    case State::Rset:
    case State::Quit: return timeouts_.command;
    case State::TlsHandshake: return timeouts_.tls_handshake;
    case State::Message: return timeouts_.data_block;
    case State::Transaction:
      if (active_->expect.empty()) return std::nullopt;
      switch (active_->expect.front()) {
        case Expect::Mail: return timeouts_.mail;
        case Expect::Rcpt: return timeouts_.rcpt;
        case Expect::Data: return timeouts_.data_init;
        case Expect::Dot: return timeouts_.data_termination;
      }
      return std::nullopt;
    case State::Idle:
    case State::Ready:
    case State::Closed: break;
  }
  return std::nullopt;
}

// ---- input and output ----

void Session::run() {
  while (true) {
    if (state_ == State::Idle) return;  // kept for the greeting
    if (state_ == State::Closed || state_ == State::TlsHandshake) {
      input_.clear();
      return;
    }
    if (input_.empty()) return;
    // Replies are read only after the whole text, "." included, was written:
    // one that comes early (a server giving up on the message) is then taken
    // as the reply to the ".", and slicing of the input cannot change that.
    if (state_ == State::Message && !active_->stuffer.done()) return;
    auto r = parser_.next(input_);
    input_.erase(0, r.consumed);
    if (r.kind == ReplyParser::Kind::NeedMore) return;
    if (r.kind == ReplyParser::Kind::Error) {
      protocol_failure(r.error);
      return;
    }
    dispatch(r.reply);
  }
}

void Session::dispatch(const Reply& reply) {
  // 421 from any state: the server is closing the channel (RFC 5321 §3.8).
  if (reply.code == 421 && state_ != State::Quit) {
    fail_session(reply, true, current_stage(), End::Close);
    return;
  }
  switch (state_) {
    case State::Greeting: on_greeting(reply); break;
    case State::Ehlo: on_ehlo(reply); break;
    case State::Helo: on_helo(reply); break;
    case State::StartTls: on_starttls(reply); break;
    case State::Auth: on_auth(reply); break;
    case State::Ready: on_unsolicited(reply); break;
    case State::Rset: on_rset(reply); break;
    case State::Transaction: on_transaction_reply(reply); break;
    case State::Message:
      // The reply to the final "." overtook the host's on_written() (run()
      // reads nothing here before the "." was produced).
      state_ = State::Transaction;
      active_->expect.push_back(Expect::Dot);
      on_transaction_reply(reply);
      break;
    case State::Quit:
      emit({Action::Kind::Close, {}, {}});
      state_ = State::Closed;
      break;
    case State::Idle:
    case State::TlsHandshake:
    case State::Closed: break;
  }
}

void Session::write(std::string line) {
  line += "\r\n";
  emit({Action::Kind::Write, std::move(line), {}});
}

void Session::emit(Action action) {
  if (action.kind == Action::Kind::Write && !out_.empty() && out_.back().kind == Action::Kind::Write) {
    out_.back().bytes += action.bytes;
    return;
  }
  out_.push_back(std::move(action));
}

std::vector<Action> Session::flush() {
  for (const auto& a : out_) {
    if (a.kind == Action::Kind::Write) ++unacked_writes_;
  }
  return std::exchange(out_, {});
}

// ---- connection set-up ----

void Session::on_greeting(const Reply& reply) {
  if (!positive(reply)) {
    // §3.1: a 554 greeting is answered with QUIT, then the server closes.
    fail_session(reply, true, Stage::Greeting, End::Quit);
    return;
  }
  write("EHLO " + options_.helo_name);
  state_ = State::Ehlo;
}

void Session::on_ehlo(const Reply& reply) {
  if (positive(reply)) {
    caps_ = parse_ehlo(reply);
    after_hello();
  } else if (reply.code >= 500) {
    // §4.1.1.1 / §3.2: an old server refuses EHLO; HELO gets plain SMTP, no extensions.
    write("HELO " + options_.helo_name);
    state_ = State::Helo;
  } else {
    fail_session(reply, true, Stage::Ehlo, End::Quit);
  }
}

void Session::on_helo(const Reply& reply) {
  if (!positive(reply)) {
    fail_session(reply, true, Stage::Ehlo, End::Quit);
    return;
  }
  caps_ = Capabilities{};
  caps_.server_name = reply.text.substr(0, reply.text.find_first_of(" \n"));
  after_hello();
}

void Session::after_hello() {
  bool want_tls = options_.tls == TlsPolicy::Opportunistic || options_.tls == TlsPolicy::Required;
  if (want_tls && !tls_active_ && !starttls_tried_ && caps_.starttls) {
    starttls_tried_ = true;
    write("STARTTLS");
    state_ = State::StartTls;
    return;
  }
  if (options_.tls == TlsPolicy::Required && !tls_active_) {
    fail_local(451, "4.7.4", "TLS is required, but the remote server does not offer STARTTLS", Stage::StartTls,
               End::Quit);
    return;
  }
  start_auth_or_ready();
}

void Session::on_starttls(const Reply& reply) {
  if (positive(reply)) {
    emit({Action::Kind::StartTls, {}, {}});
    state_ = State::TlsHandshake;
    parser_.reset();
    return;
  }
  if (options_.tls == TlsPolicy::Required) {
    fail_session(reply, true, Stage::StartTls, End::Quit);
    return;
  }
  after_hello();  // opportunistic: go on in the clear with what EHLO offered
}

void Session::start_auth_or_ready() {
  if (options_.credentials && !authenticated_) {
    bool cleartext_ok = tls_active_ || options_.cleartext_auth;
    if (auto mech = choose_mechanism(*options_.credentials, caps_.auth, cleartext_ok)) {
      sasl_.emplace(*mech, *options_.credentials, limits_.max_command_line);
      sasl_error_.clear();
      write(sasl_->command());
      state_ = State::Auth;
      return;
    }
  }
  if (options_.auth_required && !authenticated_) {
    std::string why = !options_.credentials ? "AUTH is required, but no credentials are configured"
                      : caps_.auth.empty()  ? "AUTH is required, but the remote server does not offer AUTH"
                                            : "AUTH is required, but the remote server offers no usable "
                                              "mechanism (offered: " + join(caps_.auth) + ")";
    fail_local(451, "4.7.0", why, Stage::Auth, End::Quit);
    return;
  }
  ready();
}

void Session::on_auth(const Reply& reply) {
  if (reply.code == 334) {
    if (!sasl_error_.empty()) {
      protocol_failure("challenge after the AUTH exchange was cancelled");
      return;
    }
    auto response = sasl_->respond(reply.text);
    if (response) {
      write(*response);
    } else {
      sasl_error_ = response.error().message;
      write("*");  // RFC 4954 §4: cancel; the server answers 501
    }
    return;
  }
  if (!sasl_error_.empty()) {
    fail_local(451, "4.7.0", "AUTH " + sasl_->mechanism() + " cancelled: " + sasl_error_, Stage::Auth, End::Quit);
    return;
  }
  if (!positive(reply)) {
    fail_session(reply, true, Stage::Auth, End::Quit);
    return;
  }
  authenticated_ = true;
  sasl_.reset();
  ready();
}

void Session::on_unsolicited(const Reply& reply) {
  protocol_failure("unexpected reply \"" + format_reply(reply) + "\"");
}

// ---- failures ----

void Session::fail_session(Reply reply, bool remote, Stage stage, End end) {
  if (active_) {
    decide_open(reply, failure_of(reply.code), stage, remote);
    emit({Action::Kind::Result, {}, std::move(active_->result)});
    active_.reset();
  }
  // Queued transactions never reached their MAIL.
  Failure queued{stage > Stage::Mail ? Stage::Mail : stage, reply, remote};
  for (const auto& tx : queue_) emit({Action::Kind::Result, {}, failed_result(tx, queued)});
  queue_.clear();
  failure_ = Failure{stage, std::move(reply), remote};
  sasl_.reset();
  switch (end) {
    case End::Quit:
      write("QUIT");
      state_ = State::Quit;
      break;
    case End::Close:
      emit({Action::Kind::Close, {}, {}});
      state_ = State::Closed;
      break;
    case End::None: state_ = State::Closed; break;
  }
  if (closed()) input_.clear();
}

void Session::fail_local(int code, const char* enhanced, std::string text, Stage stage, End end) {
  fail_session(Reply{code, enhanced, std::move(text)}, false, stage, end);
}

void Session::protocol_failure(const std::string& what) {
  fail_local(451, "4.5.0", "protocol error " + waiting_for() + ": " + what, current_stage(), End::Close);
}

Stage Session::current_stage() const {
  switch (state_) {
    case State::Idle: return Stage::Connect;
    case State::Greeting: return Stage::Greeting;
    case State::Ehlo:
    case State::Helo: return Stage::Ehlo;
    case State::StartTls:
    case State::TlsHandshake: return Stage::StartTls;
    case State::Auth: return Stage::Auth;
    case State::Message: return active_->stuffer.done() ? Stage::Final : Stage::Data;  // "." written or not
    case State::Transaction:
      if (!active_->expect.empty()) {
        switch (active_->expect.front()) {
          case Expect::Mail: return Stage::Mail;
          case Expect::Rcpt: return Stage::Rcpt;
          case Expect::Data: return Stage::Data;
          case Expect::Dot: return Stage::Final;
        }
      }
      return Stage::Mail;
    case State::Ready:
    case State::Rset:
    case State::Quit:
    case State::Closed: break;
  }
  return Stage::Mail;
}

std::string Session::waiting_for() const {
  switch (state_) {
    case State::Idle: return "before connecting";
    case State::Greeting: return "while waiting for the greeting";
    case State::Ehlo: return "after EHLO";
    case State::Helo: return "after HELO";
    case State::StartTls: return "after STARTTLS";
    case State::TlsHandshake: return "during the TLS handshake";
    case State::Auth: return "after AUTH";
    case State::Ready: return "while idle";
    case State::Rset: return "after RSET";
    case State::Message:
      // As current_stage(): once the "." has been produced, the text must not
      // depend on whether the host confirmed that write yet (input slicing would).
      return active_->stuffer.done() ? "after the end of the message" : "while sending the message";
    case State::Quit: return "after QUIT";
    case State::Closed: return "after closing";
    case State::Transaction:
      if (active_->expect.empty()) break;
      switch (active_->expect.front()) {
        case Expect::Mail: return "after MAIL FROM";
        case Expect::Rcpt: return "after RCPT TO";
        case Expect::Data: return "after DATA";
        case Expect::Dot: return "after the end of the message";
      }
      break;
  }
  return "during a transaction";
}

}  // namespace pillarbox::smtp::client
