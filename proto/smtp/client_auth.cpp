// SASL client mechanisms for SMTP AUTH (client_auth.hpp): RFC 4954 §4 (the
// exchange, initial response and its length limit), RFC 4616 §2 (PLAIN
// message), RFC 2195 §2 (CRAM-MD5 response: user SP lower-case hex digest).
#include "proto/smtp/client_auth.hpp"

#include <algorithm>

#include "proto/sasl/sasl.hpp"

namespace pillarbox::smtp::client {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool offered_by(const std::vector<std::string>& offered, const std::string& mech) {
  return std::find(offered.begin(), offered.end(), mech) != offered.end();
}

Unexpected bad(std::string what) { return fail(ErrorCode::InvalidInput, std::move(what)); }

}  // namespace

std::optional<std::string> choose_mechanism(const Credentials& credentials,
                                            const std::vector<std::string>& offered,
                                            bool cleartext_ok) {
  for (const auto& wanted : credentials.mechanisms) {
    std::string mech = upper(wanted);
    if (!offered_by(offered, mech)) continue;
    if ((mech == "PLAIN" || mech == "LOGIN") && cleartext_ok) return mech;
    if (mech == "CRAM-MD5" && credentials.hmac_md5) return mech;
  }
  return std::nullopt;
}

SaslClient::SaslClient(std::string mechanism, Credentials credentials, std::size_t max_command_line)
    : mechanism_(upper(mechanism)), credentials_(std::move(credentials)) {
  if (mechanism_ == "PLAIN") {
    // "AUTH PLAIN " + response + CRLF must fit the command line limit.
    std::size_t encoded = (plain_message().size() + 2) / 3 * 4;
    initial_response_ = 11 + encoded + 2 <= max_command_line;
  }
}

std::string SaslClient::plain_message() const {
  std::string message = credentials_.authzid;
  message += '\0';
  message += credentials_.user;
  message += '\0';
  message += credentials_.password;
  return message;
}

std::string SaslClient::command() const {
  if (initial_response_) return "AUTH PLAIN " + sasl::base64_encode(plain_message());
  return "AUTH " + mechanism_;
}

Expected<std::string> SaslClient::respond(std::string_view challenge) {
  int step = step_++;
  if (mechanism_ == "PLAIN") {
    // The server's challenge for PLAIN is empty and carries nothing to check.
    if (initial_response_ || step > 0) return bad("unexpected challenge");
    return sasl::base64_encode(plain_message());
  }
  if (mechanism_ == "LOGIN") {
    // The prompts ("Username:", "Password:") vary between servers; the order is what counts.
    if (step == 0) return sasl::base64_encode(credentials_.user);
    if (step == 1) return sasl::base64_encode(credentials_.password);
    return bad("unexpected challenge");
  }
  if (mechanism_ == "CRAM-MD5") {
    if (step > 0) return bad("unexpected challenge");
    return cram_md5(challenge);
  }
  return bad("unsupported mechanism");
}

Expected<std::string> SaslClient::cram_md5(std::string_view challenge) const {
  auto decoded = sasl::base64_decode(challenge);
  if (!decoded || decoded->empty()) return bad("malformed challenge");
  if (!credentials_.hmac_md5) return bad("no HMAC-MD5 function");
  std::string digest = credentials_.hmac_md5(credentials_.password, *decoded);
  if (digest.size() != 16) return bad("HMAC-MD5 function returned " + std::to_string(digest.size()) + " octets");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string response = credentials_.user + " ";
  for (char c : digest) {
    auto u = static_cast<unsigned char>(c);
    response += kHex[u >> 4];
    response += kHex[u & 15];
  }
  return sasl::base64_encode(response);
}

}  // namespace pillarbox::smtp::client
