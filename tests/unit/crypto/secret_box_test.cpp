// Sealed secrets: round trip, a fresh nonce every time, tampering and a
// different key refused, the key file made once with mode 0600.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "libcore/crypto/secret_box.hpp"

using namespace pillarbox;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/pbx-crypto-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}

}  // namespace

TEST_CASE("a sealed secret opens with its key only", "[crypto]") {
  auto dir = temp_dir();
  auto key = crypto::load_or_create_key(dir + "/keys/server.key");
  REQUIRE(key);
  auto sealed = crypto::seal(*key, "the APOP secret");
  CHECK(sealed.rfind("v1:", 0) == 0);
  CHECK(sealed.find("APOP") == std::string::npos);
  auto opened = crypto::open(*key, sealed);
  REQUIRE(opened);
  CHECK(*opened == "the APOP secret");
  CHECK(crypto::seal(*key, "the APOP secret") != sealed);  // fresh nonce
  CHECK(*crypto::open(*key, crypto::seal(*key, "")) == "");

  crypto::Key other = *key;
  other.bytes[0] ^= 1;
  CHECK(crypto::open(other, sealed).error().code == ErrorCode::InvalidInput);
  std::string tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(crypto::open(*key, tampered));
  CHECK_FALSE(crypto::open(*key, "v1:"));
  CHECK_FALSE(crypto::open(*key, "plain text"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the key file is made once, private, and read back the same", "[crypto]") {
  auto dir = temp_dir();
  auto path = dir + "/keys/server.key";
  CHECK(crypto::load_key(path).error().code == ErrorCode::NotFound);
  auto made = crypto::load_or_create_key(path);
  REQUIRE(made);
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  auto again = crypto::load_or_create_key(path);
  REQUIRE(again);
  CHECK(again->bytes == made->bytes);
  CHECK(crypto::load_key(path)->bytes == made->bytes);
  { std::ofstream(path, std::ios::app) << "x"; }
  CHECK(crypto::load_key(path).error().code == ErrorCode::InvalidInput);
  std::filesystem::remove_all(dir);
}
