// Self-signed certificate generation with OpenSSL 3 (libcrypto only).
#include "libcore/tls/self_signed.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libcore/base/owner.hpp"
#include "libcore/tls/context.hpp"

namespace pillarbox::tls {
namespace {

using PKey = CPtr<EVP_PKEY, EVP_PKEY_free>;
using Cert = CPtr<X509, X509_free>;
using Ext = CPtr<X509_EXTENSION, X509_EXTENSION_free>;
using File = CPtr<FILE, std::fclose>;

bool add_ext(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

Expected<void> make_self_signed(const std::string& hostname, const std::string& cert_path,
                                const std::string& key_path) {
  PKey key(EVP_EC_gen("P-256"));
  if (!key) return fail(ErrorCode::Internal, openssl_error("generate key"));
  Cert cert(X509_new());
  if (!cert) return fail(ErrorCode::Internal, openssl_error("X509_new"));
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  FILE* rnd = std::fopen("/dev/urandom", "rb");
  if (!rnd || std::fread(serial, 1, sizeof serial, rnd) != sizeof serial) {
    if (rnd) std::fclose(rnd);
    return fail(ErrorCode::Internal, "read /dev/urandom for a serial number");
  }
  std::fclose(rnd);
  serial[0] &= 0x7f;  // positive
  CPtr<BIGNUM, BN_free> bn(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Pillarbox"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(hostname.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!add_ext(cert.get(), NID_subject_alt_name, "DNS:" + hostname) ||
      !add_ext(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(cert.get(), NID_ext_key_usage, "serverAuth"))
    return fail(ErrorCode::Internal, openssl_error("certificate extensions"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return fail(ErrorCode::Internal, openssl_error("sign certificate"));

  // The key is written with restrictive permissions from the start.
  int kfd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (kfd < 0) return fail(ErrorCode::PermissionDenied, "create " + key_path + ": " + std::strerror(errno));
  File kf(::fdopen(kfd, "w"));
  if (!kf || PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return fail(ErrorCode::Internal, openssl_error(("write " + key_path).c_str()));
  File cf(std::fopen(cert_path.c_str(), "w"));
  if (!cf || PEM_write_X509(cf.get(), cert.get()) != 1)
    return fail(ErrorCode::Internal, openssl_error(("write " + cert_path).c_str()));
  return {};
}

}  // namespace pillarbox::tls
