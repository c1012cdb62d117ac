// Password hashing and checking: argon2id (RFC 9106) in the PHC string
// format, from Debian's libargon2. Knows nothing of accounts or the database
// (libcore/store keeps the hashes). Thread-safe: no shared state.
//
// COST: hash_password and verify_password each take tens of milliseconds and
// 19 MiB of memory, by design. Never call them on an event loop thread: run
// them on a db::Executor worker (store functions do) or via event::queue_work.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pillarbox::auth {

// argon2id parameters (OWASP's minimum recommendation).
inline constexpr unsigned kMemoryKiB = 19456;
inline constexpr unsigned kIterations = 2;
inline constexpr unsigned kParallelism = 1;
inline constexpr std::size_t kSaltBytes = 16;
inline constexpr std::size_t kHashBytes = 32;

// The default of the "minimum password length" setting.
inline constexpr std::size_t kDefaultMinPasswordLength = 5;

// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a fresh random salt
// (getrandom). Throws std::runtime_error when randomness or memory fails.
std::string hash_password(std::string_view password);

// True when `password` matches `encoded` (argon2id, argon2i or argon2d PHC
// strings). False for a wrong password and for anything malformed.
bool verify_password(std::string_view encoded, std::string_view password);

// True when `encoded` was made with other parameters than the ones above:
// after a successful login the caller may store a fresh hash.
bool needs_rehash(std::string_view encoded);

// Any character but space (and control characters, which line-based
// protocols cannot carry), at least `min_length` characters (UTF-8 code
// points), at most 1024 bytes.
bool valid_password(std::string_view password, std::size_t min_length = kDefaultMinPasswordLength);

// A random password of `length` letters and digits (getrandom), for accounts
// created by the server itself. Throws std::runtime_error when randomness fails.
std::string generate_password(std::size_t length = 16);

}  // namespace pillarbox::auth
