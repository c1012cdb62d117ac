// AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, with and
// without an initial response, "*" to cancel. Offered only under TLS or to
// clients the access rules trust; credentials are checked by the host.
#include "proto/sasl/sasl.hpp"
#include "proto/smtp/session.hpp"

namespace pillarbox::smtp {

namespace {
constexpr std::string_view kUsernamePrompt = "VXNlcm5hbWU6";  // "Username:"
constexpr std::string_view kPasswordPrompt = "UGFzc3dvcmQ6";  // "Password:"
}  // namespace

void Session::do_auth(const Command& cmd) {
  if (!user_.empty()) {
    refuse({503, "5.5.1", "Error: already authenticated"});
    return;
  }
  if (!auth_offered()) {
    if (options_.tls_available && !options_.tls_active) {
      refuse({538, "5.7.11", "Encryption required for requested authentication mechanism"});
    } else {
      refuse({503, "5.5.1", "Error: authentication not enabled"});
    }
    return;
  }
  if (!esmtp_) {
    refuse({503, "5.5.1", "Error: send EHLO first"});
    return;
  }
  if (cmd.mechanism == "PLAIN") {
    start_sasl(AuthStep::PlainResponse, cmd.initial_response);
  } else if (cmd.mechanism == "LOGIN") {
    start_sasl(AuthStep::LoginUser, cmd.initial_response);
  } else {
    refuse({504, "5.5.4", "Unrecognized authentication type"});
  }
}

void Session::start_sasl(AuthStep first, const std::optional<std::string>& initial_response) {
  auth_step_ = first;
  if (!initial_response) {
    state_ = State::AuthResponse;
    write({334, "", first == AuthStep::PlainResponse ? "" : std::string(kUsernamePrompt)});
    return;
  }
  if (*initial_response == "=") {  // an empty initial response (RFC 4954 §4)
    continue_sasl({});
    return;
  }
  std::optional<std::string> decoded = sasl::base64_decode(*initial_response);
  if (!decoded) {
    refuse({501, "5.5.2", "Cannot decode base64 response"});
    return;
  }
  continue_sasl(std::move(*decoded));
}

void Session::handle_auth_response(std::string_view line) {
  state_ = State::Ready;
  if (line.size() > limits_.max_auth_line) {  // the framer allows the longer of both limits
    refuse({500, "5.5.2", "Line too long"});
    return;
  }
  if (line == "*") {
    refuse({501, "5.0.0", "Authentication cancelled"});
    return;
  }
  std::optional<std::string> decoded = sasl::base64_decode(line);
  if (!decoded) {
    refuse({501, "5.5.2", "Cannot decode base64 response"});
    return;
  }
  continue_sasl(std::move(*decoded));
}

void Session::continue_sasl(std::string response) {
  switch (auth_step_) {
    case AuthStep::PlainResponse: {
      std::optional<sasl::PlainCredentials> creds = sasl::parse_plain(response);
      if (!creds) {
        refuse({501, "5.5.2", "Invalid PLAIN response"});
        return;
      }
      authenticate(std::move(creds->authzid), std::move(creds->user), std::move(creds->password));
      return;
    }
    case AuthStep::LoginUser:
      login_user_ = std::move(response);
      auth_step_ = AuthStep::LoginPassword;
      state_ = State::AuthResponse;
      write({334, "", std::string(kPasswordPrompt)});
      return;
    case AuthStep::LoginPassword:
      authenticate({}, std::move(login_user_), std::move(response));
      return;
  }
}

void Session::authenticate(std::string authzid, std::string user, std::string password) {
  state_ = State::Ready;
  login_user_ = user;
  Action check;
  check.kind = Action::Kind::Authenticate;
  check.mechanism = auth_step_ == AuthStep::PlainResponse ? "PLAIN" : "LOGIN";
  check.authzid = std::move(authzid);
  check.user = std::move(user);
  check.password = std::move(password);
  emit(std::move(check));
  waiting_ = Waiting::Auth;
}

}  // namespace pillarbox::smtp
