// Login of the POP3 client session (client_session.hpp): greeting and APOP
// timestamp (RFC 1939 §4, §7), CAPA (RFC 2449 §5), STLS and the second CAPA
// over TLS (RFC 2595 §4), USER/PASS and APOP (RFC 1939 §7), AUTH with "+ "
// challenges and "*" to cancel (RFC 5034 §4). A login that fails ends the
// session with QUIT: a collector does not try a second method or password.
#include "proto/pop3/client_session.hpp"

namespace pillarbox::pop3::client {

namespace {

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

void Session::on_greeting(const Reply& reply) {
  if (!reply.ok) {
    // A server that refuses the connection ("-ERR [SYS/TEMP] too busy") has
    // nothing more to say: no QUIT.
    fail_session(Outcome::Refused, reply, true, End::Close);
    return;
  }
  timestamp_ = client::apop_timestamp(reply.text);
  state_ = State::Authorization;
  if (active_) {
    start_login();  // the login request waited for this greeting
  } else {
    pump();
  }
}

void Session::start_login() {
  send("CAPA", "CAPA", Shape::Multi, limits_.max_multiline);
  state_ = State::Capa;
}

void Session::on_capa(const ResponseReader::Result& r) {
  // A server without CAPA (-ERR) is plain RFC 1939: nothing is known.
  caps_ = r.reply.ok ? parse_capabilities(r.body) : Capabilities{};
  after_capa();
}

void Session::after_capa() {
  const bool want_tls = options_.tls == TlsPolicy::Opportunistic || options_.tls == TlsPolicy::Required;
  // Required tries STLS even when CAPA was not answered: failing then is no worse.
  if (want_tls && !tls_active_ && !stls_tried_ &&
      (caps_.stls || (options_.tls == TlsPolicy::Required && !caps_.known))) {
    stls_tried_ = true;
    send("STLS", "STLS", Shape::Single);
    state_ = State::Stls;
    return;
  }
  if (options_.tls == TlsPolicy::Required && !tls_active_) {
    fail_local(Outcome::Unsupported, "TLS is required, but the server does not offer STLS", End::Quit);
    return;
  }
  start_auth();
}

void Session::on_stls(const Reply& reply) {
  if (reply.ok) {
    emit({Action::Kind::StartTls, {}, {}});
    state_ = State::TlsHandshake;
    reader_.reset();
    return;
  }
  if (options_.tls == TlsPolicy::Required) {
    fail_session(Outcome::Refused, reply, true, End::Quit);
    return;
  }
  start_auth();  // opportunistic: on in the clear
}

void Session::start_auth() {
  if (has_line_break(options_.user) || has_line_break(options_.password) || options_.user.empty()) {
    fail_local(Outcome::Unsupported, "the user name is empty, or the user name or password holds a line break",
               End::Quit);
    return;
  }
  auto method = choose_method(options_, caps_, timestamp_.has_value(), tls_active_);
  if (!method) {
    fail_local(Outcome::Unsupported, method.error().message, End::Quit);
    return;
  }
  method_ = *method;
  switch (*method) {
    case AuthMethod::UserPass:
      send("USER " + options_.user, "USER " + options_.user, Shape::Single);
      state_ = State::User;
      return;
    case AuthMethod::Apop: {
      auto command = apop_command(options_, *timestamp_);
      if (!command) {
        fail_local(Outcome::Unsupported, "APOP impossible: " + command.error().message, End::Quit);
        return;
      }
      send(*command, "APOP " + options_.user + " ****", Shape::Single);
      state_ = State::Apop;
      return;
    }
    case AuthMethod::CramMd5:
    case AuthMethod::Plain:
      sasl_.emplace(*method, options_, limits_.max_command_line);
      sasl_error_.reset();
      send(sasl_->command(), sasl_->masked_command(), Shape::Sasl);
      state_ = State::Sasl;
      return;
    case AuthMethod::Best: break;  // choose_method never returns it
  }
  fail_local(Outcome::Unsupported, "no login method", End::Quit);
}

void Session::on_user(const Reply& reply) {
  if (!reply.ok) {
    login_refused(reply);
    return;
  }
  send("PASS " + options_.password, "PASS ****", Shape::Single);
  state_ = State::Pass;
}

void Session::on_password(const Reply& reply) {
  if (!reply.ok) {
    login_refused(reply);
    return;
  }
  logged_in(reply);
}

void Session::on_sasl(const ResponseReader::Result& r) {
  const std::string mech(sasl_->mechanism());
  if (r.continuation) {
    if (sasl_error_) {
      protocol_failure("a challenge after the AUTH exchange was cancelled");
      return;
    }
    auto response = sasl_->respond(r.challenge);
    if (response) {
      send(*response, "**** (AUTH " + mech + " response)", Shape::Sasl);
    } else {
      sasl_error_ = response.error();
      send("*", "* (AUTH " + mech + " cancelled)", Shape::Sasl);  // RFC 5034 §4; the server answers -ERR
    }
    return;
  }
  if (sasl_error_) {
    // Our cancellation, whatever the server answered to it.
    Outcome outcome = sasl_error_->code == ErrorCode::InvalidInput ? Outcome::ProtocolError : Outcome::Unsupported;
    fail_local(outcome, "AUTH " + mech + " cancelled: " + sasl_error_->message, End::Quit);
    return;
  }
  if (!r.reply.ok) {
    login_refused(r.reply);
    return;
  }
  logged_in(r.reply);
}

void Session::logged_in(const Reply& reply) {
  sasl_.reset();
  logged_in_ = true;
  state_ = State::Transaction;
  finish(Outcome::Ok, reply, true);
  pump();
}

// -ERR to USER, PASS, APOP or AUTH: wrong credentials ([AUTH]), a locked
// maildrop ([IN-USE]), too soon ([LOGIN-DELAY]) or a server problem
// ([SYS/TEMP]); the result keeps the reply, the host tells them apart.
void Session::login_refused(const Reply& reply) { fail_session(Outcome::Refused, reply, true, End::Quit); }

}  // namespace pillarbox::pop3::client
