// Unit tests of the SASL helpers (proto/pop3/sasl.hpp): strict base64 both
// ways and the PLAIN message shape.
#include <catch2/catch.hpp>

#include <string>

#include "proto/pop3/sasl.hpp"

using namespace pillarbox::pop3;

TEST_CASE("pop3 base64 decodes the RFC 4648 test vectors", "[pop3][sasl]") {
  CHECK(base64_decode("") == std::string());
  CHECK(base64_decode("Zg==") == std::string("f"));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("Zm9v") == std::string("foo"));
  CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
  CHECK(base64_decode("Zm9vYmE=") == std::string("fooba"));
  CHECK(base64_decode("Zm9vYmFy") == std::string("foobar"));
  CHECK(base64_decode("AGFsaWNlAHNlY3JldA==") == std::string("\0alice\0secret", 13));
}

TEST_CASE("pop3 base64 encodes the RFC 4648 test vectors", "[pop3][sasl]") {
  CHECK(base64_encode("").empty());
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode("Username:") == "VXNlcm5hbWU6");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  CHECK(base64_decode(base64_encode(all)) == all);
}

TEST_CASE("pop3 base64 decoding is strict", "[pop3][sasl]") {
  CHECK_FALSE(base64_decode("Zg="));        // length not a multiple of four
  CHECK_FALSE(base64_decode("Zg"));
  CHECK_FALSE(base64_decode("Z==="));       // too much padding
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Zg==Zg=="));   // padding before the end
  CHECK_FALSE(base64_decode("Zm9 v"));      // whitespace
  CHECK_FALSE(base64_decode("Zm9v\r\n"));
  CHECK_FALSE(base64_decode("Zm9-"));       // the URL alphabet
  CHECK_FALSE(base64_decode("Zh=="));       // bits set under the padding
  CHECK_FALSE(base64_decode("Zm9="));
}

TEST_CASE("pop3 PLAIN messages have exactly two NULs and no empty user or password", "[pop3][sasl]") {
  auto creds = parse_plain(std::string("\0alice\0secret", 13));
  REQUIRE(creds);
  CHECK(creds->authzid.empty());
  CHECK(creds->user == "alice");
  CHECK(creds->password == "secret");
  creds = parse_plain(std::string("admin\0alice\0pass word", 21));
  REQUIRE(creds);
  CHECK(creds->authzid == "admin");
  CHECK(creds->password == "pass word");
  CHECK_FALSE(parse_plain("alice"));
  CHECK_FALSE(parse_plain(std::string("alice\0secret", 12)));
  CHECK_FALSE(parse_plain(std::string("\0\0secret", 8)));
  CHECK_FALSE(parse_plain(std::string("\0alice\0", 7)));
  CHECK_FALSE(parse_plain(std::string("\0alice\0se\0cret", 14)));
}
