// Password hashing (argon2id PHC strings) and the password rules of
// REQUIREMENTS §1: any character but space, a minimum length.
#include <catch2/catch.hpp>

#include <string>

#include "libcore/auth/password.hpp"

using namespace pillarbox::auth;

TEST_CASE("hash_password makes an argon2id PHC string with the chosen parameters", "[auth]") {
  const std::string h = hash_password("correct horse");
  CHECK(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK_FALSE(needs_rehash(h));
}

TEST_CASE("each hash has its own salt", "[auth]") {
  CHECK(hash_password("same") != hash_password("same"));
}

TEST_CASE("verify_password accepts the right password and refuses others", "[auth]") {
  const std::string h = hash_password("s3cret!");
  CHECK(verify_password(h, "s3cret!"));
  CHECK_FALSE(verify_password(h, "s3cret"));
  CHECK_FALSE(verify_password(h, "S3cret!"));
  CHECK_FALSE(verify_password(h, ""));
}

TEST_CASE("verify_password handles UTF-8 and embedded NUL bytes", "[auth]") {
  const std::string pw = std::string("gr\xC3\xBC\xC3\x9F") + std::string(1, '\0') + "x";
  const std::string h = hash_password(pw);
  CHECK(verify_password(h, pw));
  CHECK_FALSE(verify_password(h, "gr\xC3\xBC\xC3\x9F"));
}

TEST_CASE("verify_password refuses malformed or foreign hashes", "[auth]") {
  CHECK_FALSE(verify_password("", "x"));
  CHECK_FALSE(verify_password("plain", "plain"));
  CHECK_FALSE(verify_password("$argon2id$garbage", "x"));
  CHECK_FALSE(verify_password("$6$salt$abcdef", "x"));  // crypt(3) SHA-512
}

TEST_CASE("hashes with other parameters still verify and want a rehash", "[auth]") {
  // argon2id m=4096 t=3 p=1 of "password" with salt "somesalt" (made with libargon2).
  const std::string old =
      "$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$qLml5cbqFAO6YxVHhrSBHP0UWdxrIxkNcM8aMX3blzU";
  CHECK(verify_password(old, "password"));
  CHECK_FALSE(verify_password(old, "Password"));
  CHECK(needs_rehash(old));
}

TEST_CASE("valid_password: any character but space and a minimum length", "[auth]") {
  CHECK(valid_password("abcde"));
  CHECK_FALSE(valid_password("abcd"));
  CHECK(valid_password("abcd", 4));
  CHECK(valid_password("a", 0) == true);
  CHECK_FALSE(valid_password("abc de"));
  CHECK_FALSE(valid_password("abcde\t"));
  CHECK_FALSE(valid_password("abcde\n"));
  CHECK(valid_password("!@#$%^&*()"));
  CHECK(valid_password("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F\xE2\x82\xAC"));  // five characters, 11 bytes
  CHECK_FALSE(valid_password("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F"));       // four characters
  CHECK_FALSE(valid_password(std::string(1025, 'x')));
}
