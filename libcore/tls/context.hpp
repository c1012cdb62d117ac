// TLS contexts: the server's certificate and key loaded once into an SSL_CTX
// (TLS 1.2 and later, OpenSSL's default cipher choice), and a client context
// for the outgoing side. Thread-safe to share once built; reload means
// building a new one (connections keep the old one alive).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "libcore/base/expected.hpp"
#include "libcore/base/owner.hpp"

namespace pillarbox::tls {

using SslCtxPtr = CPtr<SSL_CTX, SSL_CTX_free>;

// The most recent OpenSSL error queue entry, "what: reason", and clears it.
std::string openssl_error(const std::string& what);

class Context {
 public:
  // Loads a PEM chain and key; fails with a message naming the file and the
  // OpenSSL reason (mismatched key, unreadable file...).
  static Expected<std::shared_ptr<Context>> server(const std::string& cert_path, const std::string& key_path);
  // verify_peer: check the server certificate against the system store.
  static Expected<std::shared_ptr<Context>> client(bool verify_peer);

  SSL_CTX* get() const { return ctx_.get(); }

 private:
  explicit Context(SslCtxPtr ctx) : ctx_(std::move(ctx)) {}
  SslCtxPtr ctx_;
};

}  // namespace pillarbox::tls
