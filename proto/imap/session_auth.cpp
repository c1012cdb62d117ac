// Commands valid in any state and logging in (RFC 3501 §6.1, §6.2; RFC 4959
// SASL-IR; RFC 4616 PLAIN; the LOGIN mechanism; RFC 5161 ENABLE; RFC 2971
// ID). Credentials are checked by the host (LoginRequest); this file only
// gathers them and refuses plaintext logins where TLS is required.
#include "proto/imap/session.hpp"
#include "proto/sasl/sasl.hpp"

namespace pillarbox::imap {

namespace {

constexpr std::string_view kPrivacyText = "Plaintext authentication disallowed on non-secure connections";

}  // namespace

void Session::do_capability(const Command& cmd) {
  std::string line = "* CAPABILITY";
  for (const std::string& cap : capabilities()) line += " " + cap;
  write(line + "\r\n");
  finish(cmd.tag, "Capability completed");
}

void Session::do_noop(const Command& cmd) { finish(cmd.tag, "NOOP completed", std::nullopt, true); }

void Session::do_logout(const Command& cmd) {
  write(untagged(Status::Bye, "Logging out"));
  write(tagged(cmd.tag, Status::Ok, "Logout completed"));
  close_with("");
}

void Session::do_starttls(const Command& cmd) {
  if (options_.tls_active) return bad(cmd.tag, "TLS is already active");
  if (!options_.tls_available) return no(cmd.tag, "TLS is not available");
  write(tagged(cmd.tag, Status::Ok, "Begin TLS negotiation now"));
  Action start;
  start.kind = Action::Kind::StartTls;
  emit(std::move(start));
  waiting_ = Waiting::Tls;
}

void Session::do_login(const Command& cmd) {
  if (!plain_login_allowed()) return no(cmd.tag, kPrivacyText, ResponseCode::privacy_required());
  const auto& args = cmd.as<LoginArgs>();
  login(cmd.tag, args.user, args.password);
}

void Session::login(std::string tag, std::string user, std::string password) {
  ask(LoginRequest{user, std::move(password)}, [this, tag = std::move(tag), user](Result& r) {
    if (!std::holds_alternative<std::monostate>(r)) {
      const auto* f = std::get_if<Failure>(&r);
      if (f != nullptr && f->kind == Failure::Kind::AuthenticationFailed) {
        no(tag, "Authentication failed", ResponseCode::authentication_failed());
      } else {
        failed(tag, r);
      }
      return;
    }
    user_ = user;
    state_ = State::Authenticated;
    write(tagged(tag, Status::Ok, "Logged in", ResponseCode::capability(capabilities())));
  });
}

void Session::do_authenticate(const Command& cmd) {
  const auto& args = cmd.as<AuthenticateArgs>();
  if (args.mechanism != "PLAIN" && args.mechanism != "LOGIN") {
    return no(cmd.tag, "Unsupported authentication mechanism");
  }
  if (!plain_login_allowed()) return no(cmd.tag, kPrivacyText, ResponseCode::privacy_required());
  sasl_tag_ = cmd.tag;
  sasl_user_.clear();
  if (args.mechanism == "PLAIN") {
    sasl_ = Sasl::PlainResponse;
    if (!args.initial_response) return write(continuation(""));
  } else {
    sasl_ = Sasl::LoginUser;
    if (!args.initial_response) return write(continuation(sasl::base64_encode("Username:")));
  }
  // RFC 4959: "=" is an empty initial response.
  handle_sasl_response(*args.initial_response == "=" ? "" : *args.initial_response);
}

void Session::handle_sasl_response(std::string_view line) {
  const std::string tag = sasl_tag_;
  const Sasl step = sasl_;
  sasl_ = Sasl::None;
  if (line == "*") return bad(tag, "Authentication cancelled");
  std::optional<std::string> decoded = sasl::base64_decode(line);
  if (!decoded) return bad(tag, "Invalid base64 data");
  switch (step) {
    case Sasl::PlainResponse: {
      std::optional<sasl::PlainCredentials> creds = sasl::parse_plain(*decoded);
      if (!creds) return bad(tag, "Invalid PLAIN response");
      // Logging in as someone else is not offered.
      if (!creds->authzid.empty() && creds->authzid != creds->user) {
        return no(tag, "Authorization failed", ResponseCode::authorization_failed());
      }
      return login(tag, creds->user, creds->password);
    }
    case Sasl::LoginUser:
      sasl_user_ = *decoded;
      sasl_ = Sasl::LoginPassword;
      return write(continuation(sasl::base64_encode("Password:")));
    case Sasl::LoginPassword: return login(tag, sasl_user_, *decoded);
    case Sasl::None: break;
  }
}

void Session::do_enable(const Command& cmd) {
  std::string enabled;
  for (const std::string& cap : cmd.as<EnableArgs>().capabilities) {
    // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE. Only what the client
    // named and was not on yet is listed (RFC 5161 §3.2).
    if (cap == "CONDSTORE" && !condstore_) {
      condstore_ = true;
      enabled += " CONDSTORE";
    } else if (cap == "QRESYNC" && !qresync_) {
      qresync_ = condstore_ = true;
      enabled += " QRESYNC";
    }
  }
  write("* ENABLED" + enabled + "\r\n");
  finish(cmd.tag, "Enabled");
}

void Session::do_id(const Command& cmd) {
  write("* ID (\"name\" \"Pillarbox\")\r\n");
  finish(cmd.tag, "ID completed");
}

}  // namespace pillarbox::imap
