// HMAC-MD5 through OpenSSL 3's one-shot HMAC() (cram_md5.hpp), RFC 2104 and
// RFC 2195 §2.
#include "libcore/auth/cram_md5.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace pillarbox::auth {

std::string hmac_md5(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // A null pointer means "no key" to HMAC(); an empty key (or text) must
  // still be one, so empty views point at a real octet.
  static const unsigned char kEmpty = 0;
  auto bytes = [](std::string_view s) {
    return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
  };
  if (HMAC(EVP_md5(), bytes(key), static_cast<int>(key.size()), bytes(data), data.size(), md, &len) == nullptr ||
      len != 16) {
    return {};  // MD5 unavailable (a FIPS-only OpenSSL configuration)
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string cram_md5_response(std::string_view user, std::string_view password, std::string_view challenge) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digest = hmac_md5(password, challenge);
  if (digest.empty()) return {};
  std::string out(user);
  out += ' ';
  for (char c : digest) {
    auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

}  // namespace pillarbox::auth
