// Logging in as a POP3 client: which method to use (client_options.hpp
// AuthMethod), the APOP command (RFC 1939 §7) and the SASL exchange of AUTH
// (RFC 5034 §4) for PLAIN (RFC 4616) and CRAM-MD5 (RFC 2195). No state
// machine (client_session) and no MD5 here: the digests come from functions
// the host injects through Options.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/pop3/client_capa.hpp"
#include "proto/pop3/client_options.hpp"

namespace pillarbox::pop3::client {

std::string_view to_string(AuthMethod method);  // "best", "USER/PASS", "APOP", "CRAM-MD5", "PLAIN"

// The method for this login. A configured method must be possible; Best
// takes the first possible of CRAM-MD5 (offered in CAPA's SASL, hmac_md5
// given), APOP (a timestamp in the greeting, apop_digest given), PLAIN
// (offered) and USER/PASS — the last two only when the password may cross:
// `tls_active` or Options::cleartext_password. When CAPA was not answered
// (caps.known false) a configured CRAM-MD5 or PLAIN is tried anyway, and
// USER/PASS is always worth a try. Errors (Unavailable) say why in a sentence
// fit for the administrator's report.
Expected<AuthMethod> choose_method(const Options& options, const Capabilities& caps, bool has_timestamp,
                                   bool tls_active);

// "APOP user digest" (no CRLF). InvalidInput when apop_digest is missing or
// does not return 32 lower-case hex digits.
Expected<std::string> apop_command(const Options& options, std::string_view timestamp);

// One AUTH exchange for PLAIN or CRAM-MD5. Keeps a copy of the credentials;
// single use.
class SaslLogin {
 public:
  // `max_command_line` includes CRLF: an AUTH PLAIN whose initial response
  // would not fit waits for the server's empty "+ " instead (RFC 5034 §4).
  SaslLogin(AuthMethod method, const Options& options, std::size_t max_command_line);

  // "AUTH PLAIN <base64>", "AUTH PLAIN" or "AUTH CRAM-MD5" (no CRLF).
  std::string command() const;
  // The same, fit to quote in a report: the initial response masked.
  std::string masked_command() const;
  std::string_view mechanism() const;

  // The response line (base64, no CRLF) to a continuation with `challenge`
  // (still base64). InvalidInput for a challenge that cannot be answered (a
  // malformed CRAM-MD5 challenge, one challenge too many) and Unavailable
  // for an unusable HMAC-MD5 function; the caller cancels with "*".
  Expected<std::string> respond(std::string_view challenge);

 private:
  std::string plain_message() const;

  AuthMethod method_;
  std::string user_;
  std::string password_;
  HmacMd5 hmac_md5_;
  bool initial_response_ = false;  // PLAIN: the response went with the command
  int step_ = 0;                   // challenges answered so far
};

}  // namespace pillarbox::pop3::client
