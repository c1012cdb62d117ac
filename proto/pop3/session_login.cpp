// Logging in: USER/PASS (RFC 1939 §7), APOP (§7), and AUTH (RFC 5034) with
// PLAIN (RFC 4616) and LOGIN, with or without an initial response, "*" to
// cancel. Plaintext logins are offered only under TLS or to clients the
// access rules trust, and not at all when APOP is required; credentials are
// checked, and the maildrop locked, by the host.
#include "proto/sasl/sasl.hpp"
#include "proto/pop3/session.hpp"

namespace pillarbox::pop3 {

namespace {
constexpr std::string_view kUsernamePrompt = "VXNlcm5hbWU6";  // "Username:"
constexpr std::string_view kPasswordPrompt = "UGFzc3dvcmQ6";  // "Password:"
}  // namespace

std::optional<std::string> Session::plain_login_refusal() const {
  if (options_.apop_required) return "APOP authentication required";
  if (!options_.tls_active && !options_.plain_login_without_tls) {
    return "[AUTH] Plaintext authentication disallowed on non-secure connections";
  }
  return std::nullopt;
}

void Session::do_user(const Command& cmd) {
  if (std::optional<std::string> refusal = plain_login_refusal()) {
    refuse(*refusal);
    return;
  }
  // The same reply for every name: whether an account exists is not told
  // before the password is checked.
  user_command_ = cmd.argument;
  ok("Send the password");
}

void Session::do_pass(const Command& cmd) {
  if (std::optional<std::string> refusal = plain_login_refusal()) {
    refuse(*refusal);
    return;
  }
  if (user_command_.empty()) {
    refuse("Send USER first");
    return;
  }
  // RFC 1939 §7: after PASS, right or wrong, a new attempt starts with USER.
  std::string name = std::move(user_command_);
  user_command_.clear();
  authenticate("USER", {}, std::move(name), cmd.argument);
}

void Session::do_apop(const Command& cmd) {
  user_command_.clear();
  if (!apop_offered()) {
    refuse("APOP not available");
    return;
  }
  authenticate("APOP", {}, cmd.argument, cmd.digest);
}

void Session::do_auth(const Command& cmd) {
  user_command_.clear();
  if (std::optional<std::string> refusal = plain_login_refusal()) {
    refuse(*refusal);
    return;
  }
  if (cmd.argument.empty()) {
    // No mechanism: the list, as RFC 1734 servers answered and some clients
    // still ask (RFC 5034 clients use CAPA's SASL line instead).
    MultilineWriter writer;
    writer.status("+OK Supported mechanisms follow");
    writer.line("PLAIN");
    writer.line("LOGIN");
    write_multiline(writer);
  } else if (cmd.argument == "PLAIN") {
    start_sasl(SaslStep::PlainResponse, cmd.initial_response);
  } else if (cmd.argument == "LOGIN") {
    start_sasl(SaslStep::LoginUser, cmd.initial_response);
  } else {
    refuse("Unsupported authentication mechanism");
  }
}

void Session::start_sasl(SaslStep first, const std::optional<std::string>& initial_response) {
  sasl_step_ = first;
  if (!initial_response) {
    state_ = State::AuthResponse;
    // RFC 5034 §4: "+" SP and the base64 challenge; PLAIN's is empty.
    challenge(first == SaslStep::PlainResponse ? std::string_view() : kUsernamePrompt);
    return;
  }
  if (*initial_response == "=") {  // an empty initial response (RFC 5034 §4)
    continue_sasl({});
    return;
  }
  std::optional<std::string> decoded = sasl::base64_decode(*initial_response);
  if (!decoded) {
    refuse("Invalid base64 data");
    return;
  }
  continue_sasl(std::move(*decoded));
}

void Session::handle_sasl_response(std::string_view line) {
  state_ = State::Authorization;
  if (line.size() > limits_.max_auth_line) {  // the framer allows the longer of both limits
    refuse("Line too long");
    return;
  }
  if (line == "*") {  // RFC 5034 §4: the client cancels, the server answers -ERR
    refuse("Authentication cancelled");
    return;
  }
  std::optional<std::string> decoded = sasl::base64_decode(line);
  if (!decoded) {
    refuse("Invalid base64 data");
    return;
  }
  continue_sasl(std::move(*decoded));
}

void Session::continue_sasl(std::string response) {
  switch (sasl_step_) {
    case SaslStep::PlainResponse: {
      std::optional<sasl::PlainCredentials> creds = sasl::parse_plain(response);
      if (!creds) {
        refuse("Invalid PLAIN response");
        return;
      }
      authenticate("PLAIN", std::move(creds->authzid), std::move(creds->user), std::move(creds->password));
      return;
    }
    case SaslStep::LoginUser:
      login_user_ = std::move(response);
      sasl_step_ = SaslStep::LoginPassword;
      state_ = State::AuthResponse;
      challenge(kPasswordPrompt);
      return;
    case SaslStep::LoginPassword: {
      std::string name = std::move(login_user_);
      login_user_.clear();
      authenticate("LOGIN", {}, std::move(name), std::move(response));
      return;
    }
  }
}

void Session::authenticate(std::string mechanism, std::string authzid, std::string user,
                           std::string password) {
  state_ = State::Authorization;
  // The login user() reports unless the host names a canonical one: PLAIN's
  // authzid is the identity the client asks to act as.
  login_user_ = authzid.empty() ? user : authzid;
  Action check;
  check.kind = Action::Kind::Authenticate;
  check.mechanism = std::move(mechanism);
  check.authzid = std::move(authzid);
  check.user = std::move(user);
  check.password = std::move(password);
  emit(std::move(check));
  waiting_ = Waiting::Auth;
}

}  // namespace pillarbox::pop3
