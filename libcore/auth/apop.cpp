#include "libcore/auth/apop.hpp"

#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace pillarbox::auth {

std::string apop_digest(std::string_view timestamp, std::string_view secret) {
  std::string input = std::string(timestamp) + std::string(secret);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), md, &len, EVP_md5(), nullptr);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

bool apop_matches(std::string_view timestamp, std::string_view secret, std::string_view digest) {
  std::string want = apop_digest(timestamp, secret);
  if (digest.size() != want.size()) return false;
  std::string got(digest);
  for (auto& c : got) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

}  // namespace pillarbox::auth
