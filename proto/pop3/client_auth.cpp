// Login method choice, APOP and SASL for the POP3 client (client_auth.hpp):
// RFC 1939 §7 (APOP digest: MD5 of timestamp and secret, lower-case hex),
// RFC 5034 §4 (AUTH, initial response, "+ " challenges, "*" to cancel),
// RFC 4616 §2 (PLAIN message), RFC 2195 §2 (CRAM-MD5: user SP hex digest).
#include "proto/pop3/client_auth.hpp"

#include <algorithm>

#include "proto/sasl/sasl.hpp"

namespace pillarbox::pop3::client {

namespace {

bool offers(const Capabilities& caps, std::string_view mech) {
  return std::find(caps.sasl.begin(), caps.sasl.end(), mech) != caps.sasl.end();
}

std::string offered_list(const Capabilities& caps) {
  if (caps.sasl.empty()) return "it offers no SASL mechanism";
  std::string out = "it offers";
  for (const auto& m : caps.sasl) out += " " + m;
  return out;
}

Unexpected unavailable(std::string what) { return fail(ErrorCode::Unavailable, std::move(what)); }
Unexpected bad(std::string what) { return fail(ErrorCode::InvalidInput, std::move(what)); }

constexpr char kHex[] = "0123456789abcdef";

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

const char* const kClear = "TLS is not active and cleartext passwords are not allowed";

}  // namespace

std::string_view to_string(AuthMethod method) {
  switch (method) {
    case AuthMethod::Best: return "best";
    case AuthMethod::UserPass: return "USER/PASS";
    case AuthMethod::Apop: return "APOP";
    case AuthMethod::CramMd5: return "CRAM-MD5";
    case AuthMethod::Plain: return "PLAIN";
  }
  return "?";
}

Expected<AuthMethod> choose_method(const Options& options, const Capabilities& caps, bool has_timestamp,
                                   bool tls_active) {
  const bool cleartext_ok = tls_active || options.cleartext_password;
  switch (options.auth) {
    case AuthMethod::CramMd5:
      if (!options.hmac_md5) return unavailable("CRAM-MD5 is configured, but no HMAC-MD5 function is available");
      if (caps.known && !offers(caps, "CRAM-MD5")) {
        return unavailable("CRAM-MD5 is configured, but the server does not offer it (" + offered_list(caps) + ")");
      }
      return AuthMethod::CramMd5;
    case AuthMethod::Apop:
      if (!options.apop_digest) return unavailable("APOP is configured, but no MD5 function is available");
      if (!has_timestamp) return unavailable("APOP is configured, but the server's greeting has no APOP timestamp");
      return AuthMethod::Apop;
    case AuthMethod::Plain:
      if (!cleartext_ok) return unavailable(std::string("AUTH PLAIN would send the password in the clear: ") + kClear);
      if (caps.known && !offers(caps, "PLAIN")) {
        return unavailable("AUTH PLAIN is configured, but the server does not offer it (" + offered_list(caps) + ")");
      }
      return AuthMethod::Plain;
    case AuthMethod::UserPass:
      if (!cleartext_ok) return unavailable(std::string("USER/PASS would send the password in the clear: ") + kClear);
      return AuthMethod::UserPass;
    case AuthMethod::Best: break;
  }
  if (options.hmac_md5 && offers(caps, "CRAM-MD5")) return AuthMethod::CramMd5;
  if (options.apop_digest && has_timestamp) return AuthMethod::Apop;
  if (cleartext_ok && offers(caps, "PLAIN")) return AuthMethod::Plain;
  if (cleartext_ok) return AuthMethod::UserPass;
  return unavailable(std::string("no usable login method: the server offers neither CRAM-MD5 nor APOP, and "
                                 "PLAIN or USER/PASS would send the password in the clear (") +
                     kClear + ")");
}

Expected<std::string> apop_command(const Options& options, std::string_view timestamp) {
  if (!options.apop_digest) return bad("no MD5 function for APOP");
  std::string digest = options.apop_digest(timestamp, options.password);
  if (digest.size() != 32 || !is_lower_hex(digest)) return bad("the APOP digest function failed");
  return "APOP " + options.user + " " + digest;
}

SaslLogin::SaslLogin(AuthMethod method, const Options& options, std::size_t max_command_line)
    : method_(method), user_(options.user), password_(options.password), hmac_md5_(options.hmac_md5) {
  if (method_ == AuthMethod::Plain) {
    // "AUTH PLAIN " + response + CRLF must fit the command line limit.
    std::size_t encoded = (plain_message().size() + 2) / 3 * 4;
    initial_response_ = 11 + encoded + 2 <= max_command_line;
  }
}

std::string_view SaslLogin::mechanism() const { return to_string(method_); }

std::string SaslLogin::plain_message() const {
  std::string message;  // no authzid: act as `user`
  message += '\0';
  message += user_;
  message += '\0';
  message += password_;
  return message;
}

std::string SaslLogin::command() const {
  if (initial_response_) return "AUTH PLAIN " + sasl::base64_encode(plain_message());
  return "AUTH " + std::string(mechanism());
}

std::string SaslLogin::masked_command() const {
  if (initial_response_) return "AUTH PLAIN ****";
  return command();
}

Expected<std::string> SaslLogin::respond(std::string_view challenge) {
  int step = step_++;
  if (method_ == AuthMethod::Plain) {
    // PLAIN's challenge is empty and carries nothing to check.
    if (initial_response_ || step > 0) return bad("unexpected challenge");
    return sasl::base64_encode(plain_message());
  }
  if (method_ != AuthMethod::CramMd5) return bad("not a SASL method");
  if (step > 0) return bad("unexpected second challenge");
  auto decoded = sasl::base64_decode(challenge);
  if (!decoded || decoded->empty()) return bad("malformed challenge");
  if (!hmac_md5_) return unavailable("no HMAC-MD5 function");
  std::string digest = hmac_md5_(password_, *decoded);
  if (digest.size() != 16) return unavailable("the HMAC-MD5 function failed");
  std::string response = user_ + " ";
  for (char c : digest) {
    auto u = static_cast<unsigned char>(c);
    response += kHex[u >> 4];
    response += kHex[u & 15];
  }
  return sasl::base64_encode(response);
}

}  // namespace pillarbox::pop3::client
