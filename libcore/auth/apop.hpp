// APOP (RFC 1939 §7): the client proves it knows the shared secret by
// sending MD5(timestamp + secret) in hex. MD5 is what the RFC fixes; the
// secret itself is stored sealed (libcore/crypto), never as a password hash,
// because the server must be able to compute the digest.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::auth {

// Lower-case hex MD5 of timestamp + secret.
std::string apop_digest(std::string_view timestamp, std::string_view secret);

// Constant-time comparison of the client's digest (any case) with the right one.
bool apop_matches(std::string_view timestamp, std::string_view secret, std::string_view digest);

}  // namespace pillarbox::auth
