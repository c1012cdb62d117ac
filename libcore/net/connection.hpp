// Connection: one TCP connection, accepted (a client of ours) or connected
// (senderd to a remote server), optionally wrapped in TLS (implicit from the
// start, or switched on after STARTTLS), with an idle timer and a bound on
// unsent output. Protocol code sees plaintext only. Callbacks run on the loop
// thread; the owner may destroy the Connection from inside any of them. Loop
// thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"
#include "libcore/event/timer.hpp"
#include "libcore/tls/session.hpp"

namespace pillarbox::net {

struct ConnectionLimits {
  uint64_t idle_ms = 300000;                  // no input for this long -> on_idle
  size_t max_output = 8 * 1024 * 1024;        // unsent bytes beyond this -> closed
};

class Connection {
 public:
  using DataCb = std::function<void(std::string_view plain)>;
  // Why the connection ended: "" for an orderly close by either side.
  using CloseCb = std::function<void(const std::string& reason)>;

  Connection(event::Loop& loop, event::Tcp tcp, ConnectionLimits limits);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading. on_idle fires after limits.idle_ms without input; the
  // owner decides (write a goodbye, then close_after_flush()).
  Expected<void> start(DataCb on_data, CloseCb on_close, std::function<void()> on_idle);
  // From now on bytes in both directions are TLS. Output already queued
  // goes out in plaintext first (the STARTTLS reply).
  Expected<void> start_tls(std::shared_ptr<tls::Context> ctx);
  // The client side of the same: the ClientHello goes out at once; `sni`
  // (may be empty) names the server. Plaintext sent meanwhile waits for the
  // handshake; a failed handshake closes the connection with the reason.
  Expected<void> start_tls_client(std::shared_ptr<tls::Context> ctx, const std::string& sni);

  void send(std::string_view plain);
  // The same; `written` runs once the bytes (their TLS records) have been
  // handed to the kernel, so a sender can pace large output. It does not
  // run if the connection ends first.
  void send(std::string_view plain, std::function<void()> written);
  // Stops reading (pipelined input waits in the kernel) and resumes.
  void pause();
  void resume();
  // Sends what is queued (and a TLS close_notify), then closes. on_close
  // still runs once, with reason "".
  void close_after_flush();
  // Closes at once; on_close does not run.
  void abort();

  const std::string& peer_address() const { return peer_address_; }
  uint16_t peer_port() const { return peer_port_; }
  uint16_t local_port() const { return local_port_; }
  bool tls_active() const { return tls_.has_value(); }
  const tls::Session* tls() const { return tls_ ? &*tls_ : nullptr; }

 private:
  void on_bytes(std::string_view bytes);
  void write_raw(std::string_view bytes, std::vector<std::function<void()>> written = {});
  void flush_tls();
  void finish(const std::string& reason);
  void arm_idle();

  event::Tcp tcp_;
  event::Timer idle_;
  ConnectionLimits limits_;
  std::optional<tls::Session> tls_;
  // `written` callbacks whose bytes TLS still holds (before the handshake).
  std::vector<std::function<void()>> unflushed_;
  DataCb on_data_;
  CloseCb on_close_;
  std::function<void()> on_idle_;
  std::string peer_address_;
  uint16_t peer_port_ = 0;
  uint16_t local_port_ = 0;
  bool paused_ = false;
  bool closing_ = false;
  bool finished_ = false;
  // Lets a callback destroy us: code after a callback checks this first.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::net
