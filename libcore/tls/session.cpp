// TLS over memory BIOs. SSL_read is drained until it wants more input, so a
// record split across socket reads, or several records in one read, both work.
#include "libcore/tls/session.hpp"

#include <openssl/err.h>

namespace pillarbox::tls {
Expected<Session> Session::server(std::shared_ptr<Context> ctx) {
  Session s;
  s.ctx_ = std::move(ctx);
  s.ssl_.reset(SSL_new(s.ctx_->get()));
  if (!s.ssl_) return fail(ErrorCode::Internal, openssl_error("SSL_new"));
  s.in_ = BIO_new(BIO_s_mem());
  s.out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(s.ssl_.get(), s.in_, s.out_);
  SSL_set_accept_state(s.ssl_.get());
  return s;
}

Expected<Session> Session::client(std::shared_ptr<Context> ctx, const std::string& sni) {
  Session s;
  s.ctx_ = std::move(ctx);
  s.ssl_.reset(SSL_new(s.ctx_->get()));
  if (!s.ssl_) return fail(ErrorCode::Internal, openssl_error("SSL_new"));
  s.in_ = BIO_new(BIO_s_mem());
  s.out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(s.ssl_.get(), s.in_, s.out_);
  SSL_set_connect_state(s.ssl_.get());
  if (!sni.empty()) {
    // SSL_set_tlsext_host_name() is a macro with a C cast; this is its body.
    SSL_ctrl(s.ssl_.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(sni.c_str()));
    SSL_set1_host(s.ssl_.get(), sni.c_str());
  }
  SSL_do_handshake(s.ssl_.get());  // produces the ClientHello
  return s;
}

Expected<std::string> Session::on_ciphertext(std::string_view bytes) {
  if (!bytes.empty() && BIO_write(in_, bytes.data(), static_cast<int>(bytes.size())) <= 0)
    return fail(ErrorCode::Internal, openssl_error("BIO_write"));
  if (!handshake_done_) {
    int rc = SSL_do_handshake(ssl_.get());
    if (rc != 1) {
      int err = SSL_get_error(ssl_.get(), rc);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return std::string();
      return fail(ErrorCode::InvalidInput, openssl_error("TLS handshake"));
    }
    handshake_done_ = true;
    if (auto r = flush_pending(); !r) return Unexpected{r.error()};
  }
  std::string plain;
  char buf[16384];
  for (;;) {
    int n = SSL_read(ssl_.get(), buf, sizeof buf);
    if (n > 0) {
      plain.append(buf, static_cast<size_t>(n));
      continue;
    }
    int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
    if (err == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      break;
    }
    return fail(ErrorCode::InvalidInput, openssl_error("TLS read"));
  }
  return plain;
}

Expected<void> Session::write(std::string_view plain) {
  pending_.append(plain);
  if (!handshake_done_) return {};
  return flush_pending();
}

Expected<void> Session::flush_pending() {
  size_t off = 0;
  while (off < pending_.size()) {
    int n = SSL_write(ssl_.get(), pending_.data() + off, static_cast<int>(pending_.size() - off));
    if (n <= 0) {
      pending_.erase(0, off);
      return fail(ErrorCode::Internal, openssl_error("TLS write"));
    }
    off += static_cast<size_t>(n);
  }
  pending_.clear();
  return {};
}

std::string Session::take_ciphertext() {
  std::string out;
  char buf[16384];
  int n;
  while ((n = BIO_read(out_, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

void Session::shutdown() {
  if (handshake_done_) SSL_shutdown(ssl_.get());
}

std::string Session::version() const { return SSL_get_version(ssl_.get()); }

std::string Session::cipher() const {
  const char* c = SSL_get_cipher_name(ssl_.get());
  return c ? c : "";
}

}  // namespace pillarbox::tls
