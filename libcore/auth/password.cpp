// argon2id hashing over libargon2's encoded-string API. The salt comes from
// getrandom(2), which blocks only until the kernel pool is first seeded.
// Verification parses the parameters from the stored string, so hashes made
// with older parameters keep working (see needs_rehash).
#include "libcore/auth/password.hpp"

#include <argon2.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace pillarbox::auth {
namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;

void random_bytes(unsigned char* out, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(out + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
    }
    got += static_cast<std::size_t>(r);
  }
}

std::string current_prefix() {
  return "$argon2id$v=19$m=" + std::to_string(kMemoryKiB) + ",t=" + std::to_string(kIterations) +
         ",p=" + std::to_string(kParallelism) + "$";
}

}  // namespace

std::string hash_password(std::string_view password) {
  unsigned char salt[kSaltBytes];
  random_bytes(salt, sizeof salt);
  std::vector<char> encoded(argon2_encodedlen(kIterations, kMemoryKiB, kParallelism, kSaltBytes,
                                              kHashBytes, Argon2_id));
  int rc = argon2id_hash_encoded(kIterations, kMemoryKiB, kParallelism, password.data(),
                                 password.size(), salt, sizeof salt, kHashBytes, encoded.data(),
                                 encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool verify_password(std::string_view encoded, std::string_view password) {
  argon2_type type;
  if (encoded.rfind("$argon2id$", 0) == 0) {
    type = Argon2_id;
  } else if (encoded.rfind("$argon2i$", 0) == 0) {
    type = Argon2_i;
  } else if (encoded.rfind("$argon2d$", 0) == 0) {
    type = Argon2_d;
  } else {
    return false;
  }
  if (password.size() > kMaxPasswordBytes) return false;
  const std::string text(encoded);  // libargon2 wants a NUL-terminated string
  return argon2_verify(text.c_str(), password.data(), password.size(), type) == ARGON2_OK;
}

bool needs_rehash(std::string_view encoded) { return encoded.rfind(current_prefix(), 0) != 0; }

bool valid_password(std::string_view password, std::size_t min_length) {
  if (password.size() > kMaxPasswordBytes) return false;
  std::size_t characters = 0;
  for (char c : password) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return false;
    if ((byte & 0xC0) != 0x80) ++characters;  // count UTF-8 lead bytes only
  }
  return characters >= min_length;
}

}  // namespace pillarbox::auth

namespace pillarbox::auth {

std::string generate_password(std::size_t length) {
  // 56 characters that cannot be mistaken for one another (no 0/O, 1/l/I).
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  while (out.size() < length) {
    unsigned char b[32];
    random_bytes(b, sizeof b);
    for (unsigned char c : b) {
      // Rejection sampling keeps every character equally likely.
      if (c >= 256 - 256 % kAlphabet.size()) continue;
      if (out.size() < length) out += kAlphabet[c % kAlphabet.size()];
    }
  }
  return out;
}

}  // namespace pillarbox::auth
