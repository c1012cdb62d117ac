// SSL_CTX construction.
#include "libcore/tls/context.hpp"

#include <openssl/err.h>

namespace pillarbox::tls {

std::string openssl_error(const std::string& what) {
  char buf[256] = "unknown error";
  unsigned long e = ERR_get_error();
  if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return what + ": " + buf;
}

Expected<std::shared_ptr<Context>> Context::server(const std::string& cert_path, const std::string& key_path) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return fail(ErrorCode::Internal, openssl_error("SSL_CTX_new"));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_path.c_str()) != 1)
    return fail(ErrorCode::InvalidInput, openssl_error("load certificate " + cert_path));
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key_path.c_str(), SSL_FILETYPE_PEM) != 1)
    return fail(ErrorCode::InvalidInput, openssl_error("load key " + key_path));
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return fail(ErrorCode::InvalidInput, openssl_error("key " + key_path + " does not match " + cert_path));
  return std::shared_ptr<Context>(new Context(std::move(ctx)));
}

Expected<std::shared_ptr<Context>> Context::client(bool verify_peer) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return fail(ErrorCode::Internal, openssl_error("SSL_CTX_new"));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (verify_peer) {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1)
      return fail(ErrorCode::Internal, openssl_error("load the system certificate store"));
  }
  return std::shared_ptr<Context>(new Context(std::move(ctx)));
}

}  // namespace pillarbox::tls
