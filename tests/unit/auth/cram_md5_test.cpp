// HMAC-MD5 for CRAM-MD5 (libcore/auth/cram_md5.hpp): the RFC 2195 §2 example
// and the RFC 2202 §2 HMAC-MD5 test cases.
#include <catch2/catch.hpp>

#include <string>

#include "libcore/auth/cram_md5.hpp"

using namespace pillarbox::auth;

namespace {

std::string hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

}  // namespace

TEST_CASE("CRAM-MD5 response of the RFC 2195 example", "[auth][cram_md5]") {
  CHECK(cram_md5_response("tim", "tanstaaftanstaaf", "<1896.697170952@postoffice.reston.mci.net>") ==
        "tim b913a602c7eda7a495b4e6e7334d3890");
}

TEST_CASE("hmac_md5 returns the raw 16-octet digest (RFC 2202 test cases)", "[auth][cram_md5]") {
  std::string digest = hmac_md5(std::string(16, '\x0b'), "Hi There");
  CHECK(digest.size() == 16);
  CHECK(hex(digest) == "9294727a3638bb1c13f48ef8158bfc9d");
  CHECK(hex(hmac_md5("Jefe", "what do ya want for nothing?")) == "750c783e6ab0b503eaa86e310a5db738");
  // A key longer than the 64-octet block is hashed first.
  CHECK(hex(hmac_md5(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
}

TEST_CASE("hmac_md5 with an empty key and empty text", "[auth][cram_md5]") {
  CHECK(hex(hmac_md5("", "")) == "74e6f7298a9c2d168935f58c001bad88");
}
