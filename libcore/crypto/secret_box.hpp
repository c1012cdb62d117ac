// Secrets the server must be able to read back (APOP shared secrets, mail
// collectors' passwords) are stored sealed with the server key: AES-256-GCM
// with a random 96-bit nonce, so the database alone (a dump, a psql session)
// never shows them. The key is 32 random bytes in a file only the service
// user can read (DATA/keys/server.key, made by pillarboxd at first start);
// servers sharing one database must share the key file.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::crypto {

struct Key {
  std::array<unsigned char, 32> bytes{};
};

// Reads the key file. NotFound when missing, InvalidInput when it does not
// hold exactly 32 bytes, PermissionDenied when it cannot be read.
Expected<Key> load_key(const std::string& path);

// Reads the key file, or makes one (mode 0600) when there is none. The caller
// sets the owner (pillarboxd chowns it to the service user).
Expected<Key> load_or_create_key(const std::string& path);

// "v1:" + base64(nonce | ciphertext | tag).
std::string seal(const Key& key, std::string_view plaintext);

// The plaintext, or InvalidInput when `sealed` is malformed or was not
// sealed with this key (the tag does not match).
Expected<std::string> open(const Key& key, std::string_view sealed);

}  // namespace pillarbox::crypto
