// SASL helpers for POP3 AUTH (RFC 5034): strict base64 (RFC 4648 §4) and the
// PLAIN message (RFC 4616 §2). LOGIN needs only base64. No credential checks:
// the host verifies what these return. Kept here rather than shared with
// proto/smtp so that neither engine depends on the other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pillarbox::pop3 {

// Strict base64: the standard alphabet, length a multiple of four, "=" only as
// final padding, no bits set under the padding. Whitespace is not skipped.
// "" decodes to "".
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

struct PlainCredentials {
  std::string authzid;   // may be empty
  std::string user;      // authcid, never empty
  std::string password;  // never empty
};

// "[authzid] NUL authcid NUL passwd"; nullopt for any other shape.
std::optional<PlainCredentials> parse_plain(std::string_view message);

}  // namespace pillarbox::pop3
