// Connection internals. After every user callback the code checks `alive_`
// before touching members: the owner may have destroyed us in it.
#include "libcore/net/connection.hpp"

namespace pillarbox::net {

Connection::Connection(event::Loop& loop, event::Tcp tcp, ConnectionLimits limits)
    : tcp_(std::move(tcp)), idle_(loop), limits_(limits) {
  peer_address_ = tcp_.peer_address();
  peer_port_ = tcp_.peer_port();
  local_port_ = tcp_.local_port();
  tcp_.no_delay(true);
}

Connection::~Connection() { *alive_ = false; }

Expected<void> Connection::start(DataCb on_data, CloseCb on_close, std::function<void()> on_idle) {
  on_data_ = std::move(on_data);
  on_close_ = std::move(on_close);
  on_idle_ = std::move(on_idle);
  arm_idle();
  return tcp_.read_start([this](std::string_view b) { on_bytes(b); },
                         [this](int status) { finish(status == UV_EOF ? "" : event::uv_error_text(status)); });
}

void Connection::arm_idle() {
  idle_.start(limits_.idle_ms, 0, [this] {
    if (on_idle_) on_idle_();
  });
}

Expected<void> Connection::start_tls(std::shared_ptr<tls::Context> ctx) {
  auto s = tls::Session::server(std::move(ctx));
  if (!s) return Unexpected{s.error()};
  tls_.emplace(std::move(*s));
  return {};
}

Expected<void> Connection::start_tls_client(std::shared_ptr<tls::Context> ctx, const std::string& sni) {
  auto s = tls::Session::client(std::move(ctx), sni);
  if (!s) return Unexpected{s.error()};
  tls_.emplace(std::move(*s));
  flush_tls();  // the ClientHello
  return {};
}

void Connection::on_bytes(std::string_view bytes) {
  if (closing_) return;
  arm_idle();
  if (!tls_) {
    on_data_(bytes);
    return;
  }
  auto plain = tls_->on_ciphertext(bytes);
  auto alive = alive_;
  flush_tls();  // handshake records, alerts
  if (!plain) {
    finish(plain.error().message + (plain.error().context.empty() ? "" : ": " + plain.error().context));
    return;
  }
  if (!plain->empty()) on_data_(*plain);
  if (!*alive) return;
  if (tls_ && tls_->peer_closed()) finish("");
}

void Connection::send(std::string_view plain) { send(plain, nullptr); }

void Connection::send(std::string_view plain, std::function<void()> written) {
  if (closing_) return;
  if (written) unflushed_.push_back(std::move(written));
  if (!tls_) {
    write_raw(plain, std::move(unflushed_));
    unflushed_.clear();
    return;
  }
  if (auto r = tls_->write(plain); !r) {
    finish(r.error().message);
    return;
  }
  flush_tls();
}

void Connection::flush_tls() {
  std::string out = tls_->take_ciphertext();
  if (out.empty()) return;
  // Before the handshake ends TLS holds plaintext back: its callbacks wait
  // for the first records that carry it.
  std::vector<std::function<void()>> written;
  if (tls_->handshake_done()) written.swap(unflushed_);
  write_raw(out, std::move(written));
}

void Connection::write_raw(std::string_view bytes, std::vector<std::function<void()>> written) {
  if (tcp_.write_queue_size() + bytes.size() > limits_.max_output) {
    finish("peer is not reading");
    return;
  }
  if (written.empty()) {
    (void)tcp_.write(bytes);
    return;
  }
  (void)tcp_.write(bytes, [alive = std::weak_ptr<bool>(alive_), written = std::move(written)](int status) {
    for (const auto& cb : written) {
      auto a = alive.lock();
      if (status != 0 || !a || !*a) return;
      cb();
    }
  });
}

void Connection::pause() {
  if (paused_) return;
  paused_ = true;
  tcp_.read_stop();
}

void Connection::resume() {
  if (!paused_ || closing_) return;
  paused_ = false;
  (void)tcp_.read_start([this](std::string_view b) { on_bytes(b); },
                        [this](int status) { finish(status == UV_EOF ? "" : event::uv_error_text(status)); });
}

void Connection::close_after_flush() {
  if (closing_) return;
  closing_ = true;
  idle_.stop();
  tcp_.read_stop();
  if (tls_) {
    tls_->shutdown();
    flush_tls();
  }
  // The write callback of this empty marker runs after every earlier write.
  (void)tcp_.shutdown([this](int) { finish(""); });
}

void Connection::abort() {
  finished_ = true;
  closing_ = true;
  idle_.stop();
  tcp_.close();
}

void Connection::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  idle_.stop();
  tcp_.close();
  if (on_close_) on_close_(reason);  // may destroy us: nothing after this
}

}  // namespace pillarbox::net
