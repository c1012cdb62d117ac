// HMAC-MD5 (RFC 2104) for CRAM-MD5 (RFC 2195), the one piece of crypto the
// SMTP client engine needs and, being pure, cannot hold itself: senderd passes
// hmac_md5 as smtp::client::Credentials::hmac_md5. MD5 is what RFC 2195
// fixes; nothing else in Pillarbox should use it.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::auth {

// The raw 16-octet digest of `data` keyed with `key` (any length; keys over
// 64 octets are hashed first, as RFC 2104 §2 says). Empty only when OpenSSL
// refuses MD5 (a FIPS-only configuration); the SMTP client then fails the
// AUTH exchange locally instead of sending a wrong answer.
std::string hmac_md5(std::string_view key, std::string_view data);

// The CRAM-MD5 response before base64 (RFC 2195 §2): user, a space, and the
// lower-case hex HMAC-MD5 of the (decoded) challenge keyed with the password.
// Empty when hmac_md5() is.
std::string cram_md5_response(std::string_view user, std::string_view password, std::string_view challenge);

}  // namespace pillarbox::auth
