#include "libcore/crypto/secret_box.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace pillarbox::crypto {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kNonce = 12;
constexpr int kTag = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> unbase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out(3 * in.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = 0;
  if (!in.empty() && in.back() == '=') ++pad;
  if (in.size() > 1 && in[in.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

Expected<Key> read_key(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return fail(e == ENOENT ? ErrorCode::NotFound : ErrorCode::PermissionDenied,
                "server key " + path + ": " + std::strerror(e));
  }
  Key key;
  unsigned char extra;
  ssize_t n = ::read(fd, key.bytes.data(), key.bytes.size());
  ssize_t more = ::read(fd, &extra, 1);
  ::close(fd);
  if (n != static_cast<ssize_t>(key.bytes.size()) || more != 0)
    return fail(ErrorCode::InvalidInput, "server key " + path + ": not exactly 32 bytes");
  return key;
}

}  // namespace

Expected<Key> load_key(const std::string& path) { return read_key(path); }

Expected<Key> load_or_create_key(const std::string& path) {
  auto existing = read_key(path);
  if (existing || existing.error().code != ErrorCode::NotFound) return existing;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return fail(ErrorCode::PermissionDenied, "create " + path + ": " + ec.message());
  Key key;
  if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1)
    return fail(ErrorCode::Internal, "no randomness for the server key");
  // O_EXCL: two starting masters cannot both write a key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_key(path);
    return fail(ErrorCode::PermissionDenied, "create " + path + ": " + std::strerror(errno));
  }
  bool ok = ::write(fd, key.bytes.data(), key.bytes.size()) == static_cast<ssize_t>(key.bytes.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return fail(ErrorCode::Internal, "write " + path + ": " + std::strerror(errno));
  }
  return key;
}

std::string seal(const Key& key, std::string_view plaintext) {
  unsigned char nonce[kNonce];
  if (RAND_bytes(nonce, kNonce) != 1) throw std::runtime_error("RAND_bytes failed");
  auto ctx = new_ctx();
  std::string out(reinterpret_cast<char*>(nonce), kNonce);
  out.resize(kNonce + plaintext.size() + kTag);
  auto* ct = reinterpret_cast<unsigned char*>(out.data()) + kNonce;
  int len = 0, fin = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, ct + plaintext.size()) != 1)
    throw std::runtime_error("AES-GCM encryption failed");
  return std::string(kPrefix) + base64(out);
}

Expected<std::string> open(const Key& key, std::string_view sealed) {
  auto bad = [] { return fail(ErrorCode::InvalidInput, "sealed secret is malformed or from another server key"); };
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return bad();
  auto raw = unbase64(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonce + kTag) return bad();
  auto* nonce = reinterpret_cast<unsigned char*>(raw->data());
  auto* ct = nonce + kNonce;
  int ct_len = static_cast<int>(raw->size()) - kNonce - kTag;
  std::string plain(static_cast<std::size_t>(ct_len), '\0');
  auto ctx = new_ctx();
  int len = 0, fin = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, ct, ct_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, ct + ct_len) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) != 1)
    return bad();
  return plain;
}

}  // namespace pillarbox::crypto
