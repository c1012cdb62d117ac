// The client side of SMTP AUTH (RFC 4954) for relays: the mechanisms PLAIN
// (RFC 4616), LOGIN (draft-murchison-sasl-login) and CRAM-MD5 (RFC 2195).
// Builds the AUTH command and the answers to 334 challenges; it does not
// decide when to authenticate (client_session) and computes no MD5 itself:
// proto stays free of crypto libraries, so HMAC-MD5 is injected by the host
// (libcore/auth/cram_md5.hpp has one).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::smtp::client {

// HMAC-MD5 (RFC 2104) of `data` keyed with `key`: the raw 16-octet digest
// (not hex). Any other length makes CRAM-MD5 fail locally.
using HmacMd5 = std::function<std::string(std::string_view key, std::string_view data)>;

struct Credentials {
  std::string user;
  std::string password;
  std::string authzid;  // PLAIN only; normally empty (act as `user`)
  // Preference order; names as in the EHLO reply (compared case-insensitively).
  std::vector<std::string> mechanisms = {"PLAIN", "LOGIN", "CRAM-MD5"};
  HmacMd5 hmac_md5;  // needed for CRAM-MD5; without it CRAM-MD5 is never chosen
};

// The first of credentials.mechanisms that the server offers (`offered`, upper
// case as from parse_ehlo) and this client can run: PLAIN and LOGIN only when
// `cleartext_ok` (TLS is active, or the host allows passwords in the clear),
// CRAM-MD5 only with hmac_md5. nullopt when there is none.
std::optional<std::string> choose_mechanism(const Credentials& credentials,
                                            const std::vector<std::string>& offered,
                                            bool cleartext_ok);

// One AUTH exchange. Keeps a copy of the credentials; single use.
class SaslClient {
 public:
  // `mechanism` is one choose_mechanism() returned. `max_command_line` is the
  // command line limit including CRLF (512, RFC 5321 §4.5.3.1.4): an initial
  // response that would not fit is sent after an empty 334 instead (RFC 4954 §4).
  SaslClient(std::string mechanism, Credentials credentials, std::size_t max_command_line = 512);

  const std::string& mechanism() const { return mechanism_; }

  // "AUTH PLAIN <base64>", "AUTH LOGIN", "AUTH CRAM-MD5" (no CRLF).
  std::string command() const;

  // The response line (base64, no CRLF) to a 334 reply whose text is
  // `challenge`. Errors (InvalidInput) for a challenge the mechanism cannot
  // answer: a malformed CRAM-MD5 challenge, one more challenge than the
  // mechanism has steps, an unusable HMAC function. The caller then cancels
  // the exchange with "*" (RFC 4954 §4).
  Expected<std::string> respond(std::string_view challenge);

 private:
  std::string plain_message() const;
  Expected<std::string> cram_md5(std::string_view challenge) const;

  std::string mechanism_;
  Credentials credentials_;
  bool initial_response_ = false;  // PLAIN: the response went with the command
  int step_ = 0;                   // challenges answered so far
};

}  // namespace pillarbox::smtp::client
