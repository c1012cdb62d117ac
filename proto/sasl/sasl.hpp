// SASL helpers every protocol engine shares (SMTP AUTH RFC 4954, POP3 AUTH
// RFC 5034, IMAP AUTHENTICATE RFC 3501): strict base64 (RFC 4648 §4) and the
// PLAIN message (RFC 4616 §2). LOGIN needs only base64. No credential checks:
// the host verifies what these return. Pure, std only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pillarbox::sasl {

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

}  // namespace pillarbox::sasl
