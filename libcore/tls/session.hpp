// Session: one TLS connection over memory BIOs, so TLS never touches a socket
// and the event loop stays in charge of I/O. Feed what the socket delivered
// to on_ciphertext() and get plaintext back; write() plaintext and send what
// take_ciphertext() returns. Plaintext written before the handshake ends is
// held and sent after it. Not thread-safe; one per connection.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"
#include "libcore/base/owner.hpp"
#include "libcore/tls/context.hpp"

namespace pillarbox::tls {

class Session {
 public:
  static Expected<Session> server(std::shared_ptr<Context> ctx);
  // sni may be empty.
  static Expected<Session> client(std::shared_ptr<Context> ctx, const std::string& sni);

  // Consumes bytes from the peer. Returns the plaintext they complete (maybe
  // empty). Failure: a TLS error (bad handshake, bad record) — close.
  Expected<std::string> on_ciphertext(std::string_view bytes);
  // Queues plaintext for the peer.
  Expected<void> write(std::string_view plain);
  // Records ready for the socket (handshake, data, alerts); empties the buffer.
  std::string take_ciphertext();
  // Sends close_notify (collect it with take_ciphertext()).
  void shutdown();

  bool handshake_done() const { return handshake_done_; }
  bool peer_closed() const { return peer_closed_; }
  std::string version() const;   // "TLSv1.3"
  std::string cipher() const;    // "TLS_AES_256_GCM_SHA384"

 private:
  Session() = default;
  Expected<void> flush_pending();

  std::shared_ptr<Context> ctx_;  // keeps the SSL_CTX alive
  CPtr<SSL, SSL_free> ssl_;
  BIO* in_ = nullptr;   // owned by ssl_
  BIO* out_ = nullptr;  // owned by ssl_
  std::string pending_;
  bool handshake_done_ = false;
  bool peer_closed_ = false;
};

}  // namespace pillarbox::tls
