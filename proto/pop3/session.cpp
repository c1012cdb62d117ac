// The session's core: the input loop, dispatch through the command table,
// replies and the error and command limits, and the host's answers
// (session.hpp). Command handlers live in session_commands.cpp,
// session_login.cpp and session_maildrop.cpp. RFC 1939 §3 (states), RFC 2449
// §6.6 (PIPELINING), RFC 2595 §4 (STLS).
#include "proto/pop3/session.hpp"

#include <algorithm>

#include "proto/pop3/message_text.hpp"

namespace pillarbox::pop3 {

namespace {

std::string messages_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " message" : " messages");
}

}  // namespace

Session::Session(Options options, Limits limits)
    : options_(std::move(options)),
      limits_(limits),
      lines_(std::max(limits.max_command_line, limits.max_auth_line)) {
  if (options_.tls_active) options_.tls_available = false;  // nothing to upgrade to
}

std::vector<Action> Session::start() {
  if (closed()) return {};
  std::string greeting = "+OK Pillarbox POP3 ready";
  // RFC 1939 §7: the APOP timestamp is part of the greeting, and only there.
  if (apop_offered()) greeting += " " + options_.apop_timestamp;
  ok(std::string_view(greeting).substr(4));
  return flush();
}

std::vector<Action> Session::on_bytes(std::string_view bytes) {
  // Plaintext after STLS, and anything after QUIT, is never read.
  if (closed() || state_ == State::Update || waiting_ == Waiting::Tls) return {};
  input_.append(bytes);
  if (pending()) {
    if (input_.size() > limits_.max_pending_input) {
      close_with("-ERR Too much pipelined input");
      input_.clear();
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
  options_.tls_available = false;
  // RFC 2595 §4: the client starts over; so does the server, with nothing
  // the client said in plaintext carried across.
  user_command_.clear();
  lines_.reset();
  input_.clear();
  return flush();
}

std::vector<Action> Session::on_auth_result(AuthResult result, std::vector<MaildropEntry> maildrop) {
  return on_auth_result(result, std::move(maildrop), {});
}

std::vector<Action> Session::on_auth_result(AuthResult result, std::vector<MaildropEntry> maildrop,
                                            std::string canonical_user) {
  if (waiting_ != Waiting::Auth) return {};
  waiting_ = Waiting::Nothing;
  switch (result) {
    case AuthResult::Ok:
      user_ = canonical_user.empty() ? login_user_ : std::move(canonical_user);
      maildrop_ = Maildrop(std::move(maildrop));
      state_ = State::Transaction;
      ok("Maildrop ready, " + messages_text(maildrop_.live_count()) + " (" +
         std::to_string(maildrop_.live_octets()) + " octets)");
      break;
    // RFC 3206 §4: [AUTH] tells the client the credentials are at fault, so
    // it may ask its user; the other codes tell it not to.
    case AuthResult::Invalid: refuse("[AUTH] Invalid login or password"); break;
    case AuthResult::InUse: refuse("[IN-USE] POP3 Lock Busy - Is another session active?"); break;
    case AuthResult::Temporary: refuse("[SYS/TEMP] Temporary server failure, try again later"); break;
    case AuthResult::NotAllowed: refuse("[AUTH] Login not allowed from this address"); break;
  }
  login_user_.clear();
  run();
  return flush();
}

std::vector<Action> Session::on_message(std::string_view raw) {
  if (waiting_ != Waiting::Message) return {};
  waiting_ = Waiting::Nothing;
  MultilineWriter writer;
  if (retrieving_top_) {
    writer.status("+OK Top of message follows");
  } else {
    // The maildrop's size, not raw.size(): a client may compare it with what
    // LIST said, and the host vouches that the two agree.
    writer.status("+OK " + std::to_string(maildrop_.entry(retrieving_).size) + " octets");
  }
  write_message(raw, retrieving_top_, writer);
  write_multiline(writer);
  run();
  return flush();
}

std::vector<Action> Session::on_message_missing() {
  if (waiting_ != Waiting::Message) return {};
  waiting_ = Waiting::Nothing;
  // Not refuse(): the client did nothing wrong, so it costs no error.
  Action reply;
  reply.bytes = "-ERR [SYS/PERM] Message " + std::to_string(retrieving_ + 1) + " no longer available\r\n";
  emit(std::move(reply));
  run();
  return flush();
}

std::vector<Action> Session::on_commit_result(bool committed) {
  if (waiting_ != Waiting::Commit) return {};
  if (committed) {
    close_with("+OK Pillarbox signing off (" + messages_text(maildrop_.live_count()) + " left)");
  } else {
    close_with("-ERR [SYS/TEMP] Some deleted messages not removed");
  }
  return flush();
}

std::vector<Action> Session::on_timeout() {
  if (closed()) return {};
  close_with("-ERR Disconnected for inactivity");
  input_.clear();
  return flush();
}

// Consumes buffered input until it runs out, a handler waits for the host, or
// the session closes. Unread octets stay buffered for the next call.
void Session::run() {
  std::size_t pos = 0;
  while (!closed() && !pending() && pos < input_.size()) {
    std::size_t used = feed_line(std::string_view(input_).substr(pos));
    if (used == 0) break;  // an incomplete line
    pos += used;
  }
  if (closed() || state_ == State::Update || waiting_ == Waiting::Tls) {
    input_.clear();  // nothing after QUIT or STLS is read (CVE-2011-0411)
  } else {
    input_.erase(0, pos);
  }
}

std::size_t Session::feed_line(std::string_view input) {
  const LineFramer::Result r = lines_.next(input);
  if (r.kind == LineFramer::Kind::NeedMore) return r.consumed;
  if (++commands_ > limits_.max_commands) {
    close_with("-ERR Too many commands");
    return r.consumed;
  }
  if (r.kind == LineFramer::Kind::TooLong) {
    if (state_ == State::AuthResponse) state_ = State::Authorization;  // the exchange is abandoned
    refuse("Line too long");
  } else if (state_ == State::AuthResponse) {
    handle_sasl_response(r.line);
  } else {
    handle_command(r.line);
  }
  return r.consumed;
}

void Session::handle_command(std::string_view line) {
  const std::optional<Verb> verb = parse_verb(line);
  if (!verb) {
    refuse("Unknown command");
    return;
  }
  const CommandSpec& spec = command_spec(*verb);
  // The framer admits lines as long as the AUTH limit; other commands have their own.
  if (line.size() > ((spec.flags & LongLine) != 0 ? limits_.max_auth_line : limits_.max_command_line)) {
    refuse("Line too long");
    return;
  }
  if (state_ == State::Authorization && (spec.flags & InAuthorization) == 0) {
    refuse("Command not valid before login");
    return;
  }
  if (state_ == State::Transaction && (spec.flags & InTransaction) == 0) {
    refuse("Command not valid after login");
    return;
  }
  Expected<Command> cmd = parse_command(line);
  if (!cmd) {
    refuse(cmd.error().message);
    return;
  }
  (this->*spec.handler)(*cmd);
}

void Session::ok(std::string_view text) {
  Action reply;
  reply.bytes = "+OK";
  if (!text.empty()) reply.bytes += ' ';
  reply.bytes.append(text);
  reply.bytes += "\r\n";
  emit(std::move(reply));
}

void Session::refuse(std::string_view text) {
  Action reply;
  reply.bytes = "-ERR ";
  reply.bytes.append(text);
  reply.bytes += "\r\n";
  emit(std::move(reply));
  if (++errors_ >= limits_.max_errors) close_with("-ERR Too many errors");
}

void Session::challenge(std::string_view base64) {
  Action reply;
  reply.bytes = "+ ";
  reply.bytes.append(base64);
  reply.bytes += "\r\n";
  emit(std::move(reply));
}

void Session::write_multiline(MultilineWriter& writer) {
  for (std::string& chunk : writer.finish()) {
    Action write;
    write.bytes = std::move(chunk);
    emit(std::move(write));
  }
}

void Session::close_with(std::string_view line) {
  Action reply;
  reply.bytes = std::string(line) + "\r\n";
  emit(std::move(reply));
  Action close;
  close.kind = Action::Kind::Close;
  emit(std::move(close));
  state_ = State::Closed;
  waiting_ = Waiting::Nothing;
}

void Session::emit(Action action) {
  // Replies to a pipelined group go out as one write (RFC 2449 §6.6), but a
  // write already a chunk long is not grown further, so a large message
  // still reaches the host in pieces.
  if (action.kind == Action::Kind::Write && !out_.empty() && out_.back().kind == Action::Kind::Write &&
      out_.back().bytes.size() < MultilineWriter::kChunkSize) {
    out_.back().bytes += action.bytes;
    return;
  }
  out_.push_back(std::move(action));
}

std::vector<Action> Session::flush() {
  std::vector<Action> out;
  out.swap(out_);
  return out;
}

}  // namespace pillarbox::pop3
