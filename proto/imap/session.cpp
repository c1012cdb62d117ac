// The session's core (session.hpp): the input loop over the framer,
// dispatch through the command table, replies, the error limit and the
// host's answers. Command handlers live in session_auth.cpp,
// session_mailbox.cpp, session_select.cpp, session_fetch.cpp,
// session_store.cpp and session_search.cpp; untagged updates in
// session_updates.cpp. RFC 3501 §3 (states), §5.5 (pipelining), §7.5
// (continuations); RFC 2595 §3.1 / CVE-2011-0411 (STARTTLS injection).
#include "proto/imap/session.hpp"

#include "proto/imap/parser.hpp"

namespace pillarbox::imap {

const Session::CommandSpec Session::kCommands[] = {
    {Verb::Capability, &Session::do_capability, InNotAuth | InAuth},
    {Verb::Noop, &Session::do_noop, InNotAuth | InAuth},
    {Verb::Logout, &Session::do_logout, InNotAuth | InAuth},
    {Verb::Id, &Session::do_id, InNotAuth | InAuth},
    {Verb::StartTls, &Session::do_starttls, InNotAuth},
    {Verb::Authenticate, &Session::do_authenticate, InNotAuth},
    {Verb::Login, &Session::do_login, InNotAuth},
    {Verb::Select, &Session::do_select, InAuth},
    {Verb::Examine, &Session::do_select, InAuth},
    {Verb::Create, &Session::do_create, InAuth},
    {Verb::Delete, &Session::do_delete, InAuth},
    {Verb::Rename, &Session::do_rename, InAuth},
    {Verb::Subscribe, &Session::do_subscribe, InAuth},
    {Verb::Unsubscribe, &Session::do_subscribe, InAuth},
    {Verb::List, &Session::do_list, InAuth},
    {Verb::Lsub, &Session::do_list, InAuth},
    {Verb::Status, &Session::do_status, InAuth},
    {Verb::Append, &Session::do_append, InAuth},
    {Verb::Namespace, &Session::do_namespace, InAuth},
    {Verb::Enable, &Session::do_enable, InAuth},
    {Verb::GetQuota, &Session::do_getquota, InAuth},
    {Verb::GetQuotaRoot, &Session::do_getquota, InAuth},
    {Verb::SetQuota, &Session::do_setquota, InAuth},
    {Verb::Idle, &Session::do_idle, InAuth},
    {Verb::Check, &Session::do_check, InSelected},
    {Verb::Close, &Session::do_close, InSelected},
    {Verb::Unselect, &Session::do_unselect, InSelected},
    {Verb::Expunge, &Session::do_expunge, InSelected},
    {Verb::Search, &Session::do_search, InSelected},
    {Verb::Fetch, &Session::do_fetch, InSelected},
    {Verb::Store, &Session::do_store, InSelected},
    {Verb::Copy, &Session::do_copy, InSelected},
    {Verb::Move, &Session::do_copy, InSelected},
};

const Session::CommandSpec* Session::command_spec(Verb verb) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.verb == verb) return &spec;
  }
  return nullptr;
}

Session::Session(Options options, Limits limits)
    : options_(std::move(options)), limits_(limits), framer_(limits) {
  if (options_.tls_active) options_.tls_available = false;  // nothing to upgrade to
}

const std::string& Session::selected_mailbox() const {
  static const std::string kNone;
  return view_ ? view_->name() : kNone;
}

std::vector<Action> Session::start() {
  if (closed()) return {};
  write(untagged(Status::Ok, "Pillarbox ready", ResponseCode::capability(capabilities())));
  return flush();
}

std::vector<Action> Session::on_bytes(std::string_view bytes) {
  if (closed() || waiting_ == Waiting::Tls) return {};  // plaintext after STARTTLS is never read
  input_.append(bytes);
  if (pending()) {
    if (input_.size() > limits_.max_command + limits_.max_line) {
      input_.clear();
      close_with("* BYE Too much pipelined input");
    }
    return flush();
  }
  run();
  return flush();
}

std::vector<Action> Session::on_tls_started() {
  if (waiting_ != Waiting::Tls || closed()) return {};
  waiting_ = Waiting::Nothing;
  options_.tls_active = true;
  options_.tls_available = false;
  // RFC 3501 §6.2.1: the client starts over; nothing it said in plaintext
  // after the command is carried across.
  framer_ = CommandFramer(limits_);
  input_.clear();
  return after_answer();
}

std::vector<Action> Session::on_result(Result result) {
  if (waiting_ != Waiting::Host || closed()) return {};
  waiting_ = Waiting::Nothing;
  Then then = std::move(then_);
  then_ = nullptr;
  then(result);
  return after_answer();
}

std::vector<Action> Session::after_answer() {
  if (!pending() && !closed()) {
    if (idling() && changed_ && state_ == State::Selected) {
      check_changes([] {});
    } else {
      run();
    }
  }
  if (shutting_down_ && !pending() && !closed()) close_with("* BYE Server shutting down");
  return flush();
}

std::vector<Action> Session::on_mailbox_changed() {
  if (closed()) return {};
  changed_ = true;
  // While idling the client hears of it at once (RFC 2177); otherwise at
  // the end of its next command.
  if (idling() && !pending() && state_ == State::Selected) check_changes([] {});
  return flush();
}

std::vector<Action> Session::on_timeout() {
  if (closed()) return {};
  input_.clear();
  close_with("* BYE Autologout; idle for too long");
  return flush();
}

std::vector<Action> Session::shutdown() {
  if (closed()) return {};
  shutting_down_ = true;
  if (!pending()) close_with("* BYE Server shutting down");
  return flush();
}

std::vector<std::string> Session::capabilities() const {
  std::vector<std::string> caps = {"IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE",
                                   "UIDPLUS", "MOVE", "UNSELECT", "CHILDREN", "SPECIAL-USE", "CONDSTORE",
                                   "QRESYNC", "QUOTA"};
  if (state_ == State::NotAuthenticated) {
    if (options_.tls_available && !options_.tls_active) caps.emplace_back("STARTTLS");
    if (plain_login_allowed()) {
      caps.emplace_back("AUTH=PLAIN");
      caps.emplace_back("AUTH=LOGIN");
    } else {
      caps.emplace_back("LOGINDISABLED");
    }
  }
  return caps;
}

bool Session::plain_login_allowed() const { return options_.tls_active || options_.plain_login_without_tls; }

// Consumes buffered input until it runs out, a handler waits for the host,
// or the session closes. What the framer took is dropped from the buffer.
void Session::run() {
  std::size_t pos = 0;
  while (!closed() && !pending() && pos < input_.size()) {
    const CommandFramer::Result r = framer_.next(std::string_view(input_).substr(pos));
    pos += r.consumed;
    if (r.kind == CommandFramer::Kind::NeedMore) break;
    const std::string tag = r.tag.empty() ? "*" : r.tag;
    switch (r.kind) {
      case CommandFramer::Kind::Command:
        if (sasl_ != Sasl::None) {
          handle_sasl_response(r.command);
        } else {
          handle_command(r.command);
        }
        break;
      case CommandFramer::Kind::Continue: write(continuation("Ready for literal data")); break;
      case CommandFramer::Kind::IdleDone: idle_done(true); break;
      case CommandFramer::Kind::IdleOther: idle_done(false); break;
      case CommandFramer::Kind::LineTooLong:
        sasl_ = Sasl::None;
        bad(sasl_tag_.empty() ? tag : sasl_tag_, "Line too long");
        sasl_tag_.clear();
        break;
      case CommandFramer::Kind::LiteralTooBig:
        write(tagged(tag, Status::No, "Literal too big", ResponseCode::too_big()));
        break;
      case CommandFramer::Kind::CommandTooLong: bad(tag, "Command too long"); break;
      case CommandFramer::Kind::NeedMore: break;
    }
  }
  if (closed() || waiting_ == Waiting::Tls) {
    input_.clear();  // nothing after LOGOUT or STARTTLS is read
  } else {
    input_.erase(0, pos);
  }
}

void Session::handle_command(const std::string& text) {
  Expected<Command> parsed = parse_command(text);
  if (!parsed) {
    const std::string_view tag = command_tag(text);
    bad(tag.empty() ? "*" : tag, parsed.error().message);
    return;
  }
  const Command& cmd = *parsed;
  const CommandSpec* spec = command_spec(cmd.verb);
  if (spec == nullptr) {
    bad(cmd.tag, "Unknown command");
    return;
  }
  switch (state_) {
    case State::NotAuthenticated:
      if ((spec->flags & InNotAuth) == 0) return no(cmd.tag, "Log in first");
      break;
    case State::Authenticated:
      if ((spec->flags & InAuth) == 0) {
        return no(cmd.tag, (spec->flags & InSelected) != 0 ? "No mailbox selected" : "Already authenticated");
      }
      break;
    case State::Selected:
      if ((spec->flags & (InAuth | InSelected)) == 0) return no(cmd.tag, "Already authenticated");
      break;
    case State::Logout: return;
  }
  (this->*spec->handler)(cmd);
}

void Session::ask(Request request, Then then) {
  Action action;
  action.kind = Action::Kind::Request;
  action.request = std::move(request);
  emit(std::move(action));
  waiting_ = Waiting::Host;
  then_ = std::move(then);
}

void Session::write(std::string bytes) {
  Action action;
  action.bytes = std::move(bytes);
  emit(std::move(action));
}

void Session::bad(std::string_view tag, std::string_view text) {
  write(tagged(tag, Status::Bad, text));
  if (++errors_ >= limits_.max_errors) close_with("* BYE Too many invalid commands");
}

void Session::no(std::string_view tag, std::string_view text, const std::optional<ResponseCode>& code) {
  write(tagged(tag, Status::No, text, code));
}

void Session::failed(std::string_view tag, const Result& result) {
  const Failure* f = std::get_if<Failure>(&result);
  if (f == nullptr) return no(tag, "Internal error", ResponseCode::server_bug());
  using K = Failure::Kind;
  std::optional<ResponseCode> code;
  std::string fallback = "Failed";
  switch (f->kind) {
    case K::AuthenticationFailed: code = ResponseCode::authentication_failed(); fallback = "Authentication failed"; break;
    case K::Unavailable: code = ResponseCode::unavailable(); fallback = "Temporary failure, try again later"; break;
    case K::NonExistent: code = ResponseCode::nonexistent(); fallback = "Mailbox doesn't exist"; break;
    case K::TryCreate: code = ResponseCode::try_create(); fallback = "Mailbox doesn't exist"; break;
    case K::AlreadyExists: code = ResponseCode::already_exists(); fallback = "Mailbox already exists"; break;
    case K::Cannot: code = ResponseCode::cannot(); fallback = "Not allowed"; break;
    case K::InUse: code = ResponseCode::in_use(); fallback = "Mailbox in use"; break;
    case K::TooBig: code = ResponseCode::too_big(); fallback = "Message too big"; break;
    case K::OverQuota: code = ResponseCode::over_quota(); fallback = "Quota exceeded"; break;
    case K::NoPerm: code = ResponseCode::no_perm(); fallback = "Permission denied"; break;
    case K::Limit: code = ResponseCode::limit(); fallback = "Limit reached"; break;
    case K::Other: break;
  }
  no(tag, f->text.empty() ? fallback : f->text, code);
}

void Session::close_with(std::string_view line) {
  if (!line.empty()) write(std::string(line) + "\r\n");
  Action close;
  close.kind = Action::Kind::Close;
  emit(std::move(close));
  state_ = State::Logout;
  waiting_ = Waiting::Nothing;
  then_ = nullptr;
  idle_tag_.reset();
}

void Session::emit(Action action) {
  if (action.kind == Action::Kind::Write && !out_.empty() && out_.back().kind == Action::Kind::Write) {
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

}  // namespace pillarbox::imap
