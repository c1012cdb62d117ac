// ClientSession: what every protocol daemon's session does around its engine
// — the access rules before the greeting (and the refusal in the protocol's
// own words), implicit TLS, reading with an idle timer, the actions every
// engine shares (write, start TLS, close), flow control while the engine waits
// for the store, and telling the net::Server when the connection is over.
// Loop thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "libcore/access/evaluate.hpp"
#include "libcore/access/service.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/net/server.hpp"
#include "libcore/tls/context.hpp"

namespace pillarbox::service {

class ClientSession : public net::ServerSession {
 protected:
  ClientSession(event::Loop& loop, event::Tcp tcp, const net::ConnectionLimits& limits,
                directory::Directory& directory, std::shared_ptr<tls::Context> tls, std::function<void()> ended);
  ~ClientSession() override;

  // Takes the directory snapshot and applies `service`'s access rules. When
  // they refuse, sends `refusal` (a whole line), closes, and returns false.
  bool admit(access::Service service, std::string_view refusal);
  // An ALLOW rule of the service's own list matched the client: it may log in
  // without TLS (and, for SMTP, relay).
  bool trusted() const { return decision_.rule != nullptr && !decision_.from_global; }

  // Starts reading (after the handshake when `implicit_tls`); false when the
  // connection is already over (and ended() has run).
  bool open(bool implicit_tls);

  // The engines' shared actions. Other: the caller handles it.
  enum class Step { Done, TlsStarted, Stop, Other };
  template <class Action>
  Step common(const Action& a) {
    switch (a.kind) {
      case Action::Kind::Write: conn_.send(a.bytes); return Step::Done;
      case Action::Kind::StartTls:
        if (!tls_ || !conn_.start_tls(tls_)) {
          conn_.close_after_flush();
          return Step::Stop;
        }
        return Step::TlsStarted;
      case Action::Kind::Close:
        closing_ = true;
        conn_.close_after_flush();
        return Step::Done;
      default: return Step::Other;
    }
  }
  // After a batch of actions: stop reading while the engine waits for an
  // answer (pipelined input stays in the kernel), read again once it does not.
  void flow(bool engine_pending);

  // Input and the idle timer, while not closing.
  virtual void on_input(std::string_view bytes) = 0;
  virtual void on_idle() = 0;
  // The connection is over; the session is destroyed right after.
  virtual void on_finished() {}

  const std::string& peer() const { return conn_.peer_address(); }

  net::Connection conn_;
  std::shared_ptr<const directory::Snapshot> snapshot_;
  access::Decision decision_;
  std::shared_ptr<tls::Context> tls_;
  bool closing_ = false;  // our goodbye is on its way: ignore further input
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

 private:
  void refuse(std::string_view line);
  void finished(const std::string& reason);

  directory::Directory& directory_;
  std::function<void()> ended_;
};

}  // namespace pillarbox::service
