// Unit tests of the SASL helpers (proto/sasl/sasl.hpp): strict base64 both
// ways and the PLAIN message shape.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/sasl/sasl.hpp"

using namespace pillarbox::sasl;

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

TEST_CASE("base64 is decoded strictly: more cases", "[sasl]") {
  CHECK(base64_decode("") == "");
  CHECK(base64_decode("Ym9i") == "bob");
  CHECK(base64_decode("Ym9iYQ==") == "boba");
  CHECK(base64_decode("Ym9iYWI=") == "bobab");
  CHECK(base64_decode("AGJvYgBzZWNyZXQ=") == std::string("\0bob\0secret", 11));
  for (const char* bad : {"Ym9", "Ym9i=", "Ym=i", "====", "Y===", "Ym9i YQ==", "Ym9iYR==",
                          "Ym9iYWJ=", "Ym9*", "not!base64"}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad));
  }
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x80", 3)}) {
    CHECK(base64_decode(base64_encode(s)) == s);
  }
  CHECK(base64_encode("Username:") == "VXNlcm5hbWU6");
}

TEST_CASE("SASL PLAIN messages are split: more cases", "[sasl]") {
  auto creds = parse_plain(std::string("admin\0bob\0secret", 16));
  REQUIRE(creds);
  CHECK(creds->authzid == "admin");
  CHECK(creds->user == "bob");
  CHECK(creds->password == "secret");
  CHECK(parse_plain(std::string("\0bob\0pw", 7))->authzid.empty());
  CHECK_FALSE(parse_plain(""));
  CHECK_FALSE(parse_plain("bob"));
  CHECK_FALSE(parse_plain(std::string("\0bob", 4)));
  CHECK_FALSE(parse_plain(std::string("\0\0pw", 4)));
  CHECK_FALSE(parse_plain(std::string("\0bob\0", 5)));
  CHECK_FALSE(parse_plain(std::string("\0bob\0pw\0x", 9)));
}
