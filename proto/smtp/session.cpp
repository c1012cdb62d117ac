// The session's core: the input loop, dispatch through the command table,
// replies and the error limit, and the host's answers (session.hpp). Command
// handlers live in session_commands.cpp, session_data.cpp, session_auth.cpp.
// RFC 5321 §4.1.4 (order of commands), RFC 2920 (pipelining).
#include "proto/smtp/session.hpp"

#include <algorithm>

namespace pillarbox::smtp {

Session::Session(Options options, Limits limits)
    : options_(std::move(options)),
      limits_(limits),
      lines_(std::max(limits.max_command_line, limits.max_auth_line)),
      message_(limits.max_message_size) {
  if (options_.listener == Listener::Smtps) options_.tls_active = true;
}

std::vector<Action> Session::start() {
  if (closed()) return {};
  write({220, "", options_.hostname + " ESMTP Pillarbox"});
  return flush();
}

std::vector<Action> Session::on_bytes(std::string_view bytes) {
  if (closed() || waiting_ == Waiting::Tls) return {};  // plaintext after STARTTLS: dropped
  input_.append(bytes);
  if (pending()) {
    // Written without an addition that could overflow for a huge max_message_size.
    if (input_.size() > limits_.max_auth_line &&
        input_.size() - limits_.max_auth_line > limits_.max_message_size) {
      close_with({421, "4.7.0", options_.hostname + " Error: too much pipelined input"});
    }
    return flush();
  }
  run();
  return flush();
}

std::vector<Action> Session::on_tls_started() {
  if (waiting_ != Waiting::Tls) return {};
  waiting_ = Waiting::Nothing;
  options_.tls_active = true;
  // RFC 3207 §4.2: forget everything the client said before the handshake.
  esmtp_ = false;
  user_.clear();
  envelope_ = Envelope{};
  reset_transaction();
  lines_.reset();
  input_.clear();
  return flush();
}

std::vector<Action> Session::on_auth_result(bool ok, std::string user) {
  if (waiting_ != Waiting::Auth) return {};
  waiting_ = Waiting::Nothing;
  if (ok) {
    user_ = user.empty() ? login_user_ : std::move(user);
    write({235, "2.7.0", "Authentication successful"});
  } else {
    refuse({535, "5.7.8", "Authentication credentials invalid"});
  }
  login_user_.clear();
  run();
  return flush();
}

std::vector<Action> Session::on_mail_result(std::optional<Reply> refusal) {
  if (waiting_ != Waiting::Mail) return {};
  waiting_ = Waiting::Nothing;
  if (refusal) {
    refuse(*refusal);
  } else {
    envelope_.mail_from = std::move(pending_mail_from_);
    envelope_.mail = std::move(pending_mail_);
    envelope_.rcpts.clear();
    message_.reset(limits_.max_message_size);
    state_ = State::Mail;
    write({250, "2.1.0", "Ok"});
  }
  run();
  return flush();
}

std::vector<Action> Session::on_rcpt_result(std::optional<Reply> refusal) {
  if (waiting_ != Waiting::Rcpt) return {};
  waiting_ = Waiting::Nothing;
  if (refusal) {
    refuse(*refusal);
  } else {
    envelope_.rcpts.emplace_back(std::move(pending_rcpt_), std::move(pending_rcpt_params_));
    write({250, "2.1.5", "Ok"});
  }
  run();
  return flush();
}

std::vector<Action> Session::on_deliver_result(Reply reply) {
  if (waiting_ != Waiting::Deliver) return {};
  waiting_ = Waiting::Nothing;
  write(reply);
  reset_transaction();
  run();
  return flush();
}

std::vector<Action> Session::on_timeout() {
  if (closed()) return {};
  close_with({421, "4.4.2", options_.hostname + " Error: timeout exceeded"});
  return flush();
}

// Consumes buffered input until it runs out, a handler waits for the host, or
// the session closes. Unread octets stay buffered for the next call.
void Session::run() {
  std::size_t pos = 0;
  while (!closed() && !pending() && pos < input_.size()) {
    std::string_view rest = std::string_view(input_).substr(pos);
    std::size_t used = 0;
    switch (state_) {
      case State::Data: used = feed_data(rest); break;
      case State::Chunk: used = feed_chunk(rest); break;
      default: used = feed_line(rest); break;
    }
    if (used == 0) break;  // an incomplete line
    pos += used;
  }
  if (closed() || waiting_ == Waiting::Tls) {
    input_.clear();  // nothing after QUIT or STARTTLS is read (CVE-2011-0411)
  } else {
    input_.erase(0, pos);
  }
}

std::size_t Session::feed_line(std::string_view input) {
  LineFramer::Result r = lines_.next(input);
  if (r.kind == LineFramer::Kind::Line) {
    if (state_ == State::AuthResponse) {
      handle_auth_response(r.line);
    } else {
      handle_command(r.line);
    }
  } else if (r.kind == LineFramer::Kind::TooLong) {
    if (state_ == State::AuthResponse) state_ = State::Ready;  // the exchange is abandoned
    refuse({500, "5.5.2", "Line too long"});
  }
  return r.consumed;
}

void Session::handle_command(std::string_view line) {
  std::optional<Verb> verb = parse_verb(line);
  if (!verb) {
    refuse({500, "5.5.2", "Error: command not recognized"});
    return;
  }
  // The framer admits lines as long as the AUTH limit; other commands have their own.
  std::size_t limit = *verb == Verb::Auth ? limits_.max_auth_line : limits_.max_command_line;
  if (line.size() > limit) {
    refuse({500, "5.5.2", "Line too long"});
    return;
  }
  const CommandSpec& spec = command_spec(*verb);
  if (std::optional<Reply> refusal = refusal_by_flags(spec.flags)) {
    refuse(*refusal);
    return;
  }
  Expected<Command> cmd = parse_command(line);
  if (!cmd) {
    refuse(reply_for(cmd.error()));
    return;
  }
  (this->*spec.handler)(*cmd);
}

std::optional<Reply> Session::refusal_by_flags(unsigned flags) const {
  if (state_ == State::Chunking && (flags & AllowedInChunking) == 0) {
    return Reply{503, "5.5.1", "Error: BDAT transaction in progress"};
  }
  if (state_ == State::Connected && (flags & AllowedBeforeHelo) == 0) {
    return Reply{503, "5.5.1", "Error: send HELO/EHLO first"};
  }
  if ((flags & NotInTransaction) != 0 && in_transaction()) {
    return Reply{503, "5.5.1", "Error: MAIL transaction in progress"};
  }
  if ((flags & NeedsAuthToSubmit) != 0 && auth_required() && user_.empty()) {
    return Reply{530, "5.7.0", "Authentication required"};
  }
  return std::nullopt;
}

void Session::write(const Reply& reply) {
  Action action;
  action.kind = Action::Kind::Write;
  action.bytes = reply.wire();
  emit(std::move(action));
}

void Session::refuse(const Reply& reply) {
  write(reply);
  if (++errors_ >= limits_.max_errors) {
    close_with({421, "4.7.0", options_.hostname + " Error: too many errors"});
  }
}

void Session::close_with(const Reply& reply) {
  write(reply);
  Action close;
  close.kind = Action::Kind::Close;
  emit(std::move(close));
  state_ = State::Closed;
  waiting_ = Waiting::Nothing;
}

void Session::emit(Action action) {
  if (action.kind == Action::Kind::Write && !out_.empty() &&
      out_.back().kind == Action::Kind::Write) {
    out_.back().bytes += action.bytes;  // one write for a pipelined group (RFC 2920 §3.2)
    return;
  }
  out_.push_back(std::move(action));
}

void Session::reset_transaction() {
  envelope_.mail_from.clear();
  envelope_.mail = MailParams{};
  envelope_.rcpts.clear();
  message_.reset(limits_.max_message_size);
  data_.reset();
  chunk_refusal_.reset();
  if (!closed()) state_ = envelope_.helo.empty() ? State::Connected : State::Ready;
}

std::vector<Action> Session::flush() {
  std::vector<Action> out;
  out.swap(out_);
  return out;
}

bool Session::in_transaction() const {
  return state_ == State::Mail || state_ == State::Chunking;
}

bool Session::auth_required() const {
  return options_.listener != Listener::Smtp && !options_.auth_exempt;
}

bool Session::auth_offered() const {
  return options_.tls_active || options_.plain_auth_without_tls;
}

// The Received: header's "with" value from the IANA Mail Transmission Types
// registry: RFC 3848 (ESMTP, ESMTPA, ESMTPS, ESMTPSA) and RFC 6531 §3.7.3
// (UTF8SMTP...). HELO has no TLS or AUTH variants there, so it stays "SMTP".
std::string Session::protocol() const {
  if (!esmtp_) return "SMTP";
  std::string name = envelope_.mail.smtputf8 ? "UTF8SMTP" : "ESMTP";
  if (options_.tls_active) name += "S";
  if (!user_.empty()) name += "A";
  return name;
}

}  // namespace pillarbox::smtp
