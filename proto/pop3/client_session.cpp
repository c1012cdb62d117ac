// The POP3 client session's core (client_session.hpp): host events, the
// input loop, results and failures. Login is in client_session_login.cpp,
// TRANSACTION requests in client_session_commands.cpp. RFC 1939 §3
// (responses, timers), RFC 2595 §4 (nothing read between STLS and TLS).
#include "proto/pop3/client_session.hpp"

#include <utility>

namespace pillarbox::pop3::client {

Session::Session(Options options, Timeouts timeouts, Limits limits)
    : options_(std::move(options)),
      timeouts_(timeouts),
      limits_(limits),
      reader_(limits.max_line),
      tls_active_(options_.tls == TlsPolicy::Implicit) {}

// ---- host events ----

std::vector<Action> Session::on_connected() {
  if (state_ != State::Idle) return {};
  state_ = State::Greeting;
  reader_.expect(Shape::Single);
  pump();  // a queued login now owns the greeting
  run();
  return flush();
}

std::vector<Action> Session::on_connect_failed(std::string_view reason) {
  if (state_ != State::Idle) return {};
  pump();
  fail_local(Outcome::ConnectionLost, "connection to the server failed: " + std::string(reason), End::None);
  return flush();
}

std::vector<Action> Session::on_bytes(std::string_view bytes) {
  if (closed() || state_ == State::TlsHandshake) return {};  // plaintext after STLS's +OK: dropped
  input_.append(bytes);
  if (state_ == State::Idle && input_.size() > limits_.max_line) {
    protocol_failure("data before the connection was up");  // the host's mistake, kept bounded
  }
  run();
  return flush();
}

std::vector<Action> Session::on_written() { return {}; }

std::vector<Action> Session::on_tls_started() {
  if (state_ != State::TlsHandshake) return {};
  tls_active_ = true;
  caps_ = Capabilities{};  // RFC 2595 §4: what was learned in the clear no longer counts
  reader_.reset();
  input_.clear();
  start_login();  // CAPA again, over TLS
  return flush();
}

std::vector<Action> Session::on_timeout() {
  switch (state_) {
    case State::Idle:
    case State::Authorization:
    case State::Transaction:
    case State::Closed: return {};  // no timer was asked for
    case State::Quit:
      if (active_) {
        finish(Outcome::Timeout,
               {false, {}, "timed out " + waiting_for() + (logged_in_ ? "; deletions are not certain" : "")}, false);
      }
      emit({Action::Kind::Close, {}, {}});
      state_ = State::Closed;
      if (!failure_) failure_ = Failure{Outcome::Timeout, {false, {}, "timed out after QUIT"}, false};
      break;
    default: fail_local(Outcome::Timeout, "timed out " + waiting_for(), End::Close);
  }
  return flush();
}

std::vector<Action> Session::on_closed() {
  if (closed()) return {};
  std::string where = waiting_for();
  std::string why = "connection lost" + (where.empty() ? "" : " " + where);
  if (reader_.in_body()) why += " (after " + std::to_string(reader_.body_size()) + " octets of it)";
  if (state_ == State::Quit) {
    // QUIT's +OK never came: the server may or may not have removed the messages.
    if (active_) {
      finish(Outcome::ConnectionLost, {false, {}, why + (logged_in_ ? "; deletions are not certain" : "")}, false);
    }
    state_ = State::Closed;
    if (!failure_) failure_ = Failure{Outcome::ConnectionLost, {false, {}, why}, false};
    return flush();
  }
  fail_local(Outcome::ConnectionLost, why, End::None);
  return flush();
}

std::vector<Action> Session::submit(Request request) {
  if (closed() || state_ == State::Quit) {
    Failure why = failure_ ? *failure_ : Failure{Outcome::NotRun, {false, {}, "the session has ended (QUIT)"}, false};
    client::Result r;
    r.id = request.id;
    r.kind = request.kind;
    r.msg = request.msg;
    r.outcome = Outcome::NotRun;
    r.reply = why.reply;
    r.remote = why.remote;
    emit({Action::Kind::Result, {}, std::move(r)});
    return flush();
  }
  queue_.push_back(std::move(request));
  pump();
  return flush();
}

std::optional<std::chrono::seconds> Session::timeout() const {
  switch (state_) {
    case State::Greeting: return timeouts_.greeting;
    case State::TlsHandshake: return timeouts_.tls_handshake;
    case State::Capa:
    case State::Stls:
    case State::User:
    case State::Pass:
    case State::Apop:
    case State::Sasl:
    case State::Quit: return timeouts_.command;
    case State::Command:
      switch (active_->kind) {
        case Request::Kind::List:
        case Request::Kind::Uidl:
        case Request::Kind::Retr:
        case Request::Kind::Top:
        case Request::Kind::Raw: return timeouts_.transfer;
        default: return timeouts_.command;
      }
    case State::Idle:
    case State::Authorization:
    case State::Transaction:
    case State::Closed: break;
  }
  return std::nullopt;
}

// ---- input and output ----

bool Session::awaiting() const {
  switch (state_) {
    case State::Idle:
    case State::Authorization:
    case State::TlsHandshake:
    case State::Transaction:
    case State::Closed: return false;
    default: return true;
  }
}

void Session::run() {
  while (true) {
    if (state_ == State::Idle) return;  // kept for the greeting
    if (state_ == State::Closed || state_ == State::TlsHandshake) {
      input_.clear();
      return;
    }
    if (input_.empty()) return;
    if (!awaiting()) {
      protocol_failure("data from the server while no command was pending");
      return;
    }
    auto r = reader_.next(input_);
    input_.erase(0, r.consumed);
    switch (r.kind) {
      case ResponseReader::Kind::NeedMore: return;
      case ResponseReader::Kind::Error: protocol_failure(r.error); return;
      case ResponseReader::Kind::TooBig:
        fail_local(Outcome::TooBig,
                   "the response to " + last_command_ + " is " + r.error +
                       "; the connection was closed without reading the rest",
                   End::Close);
        return;
      case ResponseReader::Kind::Response: dispatch(r); break;
    }
  }
}

void Session::dispatch(ResponseReader::Result& r) {
  switch (state_) {
    case State::Greeting: on_greeting(r.reply); break;
    case State::Capa: on_capa(r); break;
    case State::Stls: on_stls(r.reply); break;
    case State::User: on_user(r.reply); break;
    case State::Pass:
    case State::Apop: on_password(r.reply); break;
    case State::Sasl: on_sasl(r); break;
    case State::Command: on_command(r); break;
    case State::Quit: on_quit(r.reply); break;
    case State::Idle:
    case State::Authorization:
    case State::TlsHandshake:
    case State::Transaction:
    case State::Closed: break;
  }
}

void Session::send(const std::string& line, std::string masked, Shape shape, std::uint64_t max_body) {
  emit({Action::Kind::Write, line + "\r\n", {}});
  last_command_ = masked;
  active_command_ = std::move(masked);
  reader_.expect(shape, max_body);
}

void Session::emit(Action action) {
  if (action.kind == Action::Kind::Write && !out_.empty() && out_.back().kind == Action::Kind::Write) {
    out_.back().bytes += action.bytes;
    return;
  }
  out_.push_back(std::move(action));
}

std::vector<Action> Session::flush() { return std::exchange(out_, {}); }

// ---- results and failures ----

void Session::finish(Outcome outcome, Reply reply, bool remote, client::Result result) {
  result.id = active_->id;
  result.kind = active_->kind;
  result.msg = active_->msg;
  result.outcome = outcome;
  result.reply = std::move(reply);
  result.remote = remote;
  result.command = active_command_;
  active_.reset();
  active_command_.clear();
  emit({Action::Kind::Result, {}, std::move(result)});
}

void Session::not_run(const Request& request, std::string why) {
  client::Result r;
  r.id = request.id;
  r.kind = request.kind;
  r.msg = request.msg;
  r.outcome = Outcome::NotRun;
  r.reply = Reply{false, {}, std::move(why)};
  emit({Action::Kind::Result, {}, std::move(r)});
}

void Session::fail_session(Outcome outcome, Reply reply, bool remote, End end) {
  if (active_) finish(outcome, reply, remote);
  failure_ = Failure{outcome, reply, remote};
  for (const auto& request : queue_) {
    client::Result r;
    r.id = request.id;
    r.kind = request.kind;
    r.msg = request.msg;
    r.outcome = Outcome::NotRun;
    r.reply = reply;
    r.remote = remote;
    emit({Action::Kind::Result, {}, std::move(r)});
  }
  queue_.clear();
  sasl_.reset();
  switch (end) {
    case End::Quit: {
      // Cleanup, not the host's command: last_command_masked() keeps naming
      // the command that failed, for the report.
      std::string last = last_command_;
      send("QUIT", "QUIT", Shape::Single);
      last_command_ = std::move(last);
      active_command_.clear();
      state_ = State::Quit;
      break;
    }
    case End::Close:
      emit({Action::Kind::Close, {}, {}});
      state_ = State::Closed;
      break;
    case End::None: state_ = State::Closed; break;
  }
  if (closed()) {
    input_.clear();
    reader_.reset();
  }
}

void Session::fail_local(Outcome outcome, std::string text, End end) {
  fail_session(outcome, Reply{false, {}, std::move(text)}, false, end);
}

void Session::protocol_failure(const std::string& what) {
  std::string where = waiting_for();
  fail_local(Outcome::ProtocolError, "protocol error" + (where.empty() ? "" : " " + where) + ": " + what,
             End::Close);
}

// "while waiting for the response to RETR 3", for failure texts; the
// command is masked. "" when nothing is awaited.
std::string Session::waiting_for() const {
  switch (state_) {
    case State::Idle: return "before connecting";
    case State::Greeting: return "while waiting for the greeting";
    case State::TlsHandshake: return "during the TLS handshake";
    case State::Authorization:
    case State::Transaction:
    case State::Closed: return "";
    default: return "while waiting for the response to " + last_command_;
  }
}

}  // namespace pillarbox::pop3::client
