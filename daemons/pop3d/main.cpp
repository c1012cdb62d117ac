// pop3d: serves mailboxes over POP3 (RFC 1939) on the pop3 (STLS) and pop3s
// (implicit TLS) listeners the master hands it. A thin main over daemon
// start-up, the directory (access rules and settings) and net::Server.
#include <memory>

#include "daemons/pop3d/lock_identity.hpp"
#include "daemons/pop3d/pop3_session.hpp"
#include "libcore/base/log.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/net/server.hpp"
#include "libcore/service/protocol_daemon.hpp"

using namespace pillarbox;

int main() {
  event::Loop loop;
  int code = 0;
  {
    daemon::Daemon d(loop);
    auto common = service::start_common(loop, d);
    if (!common) {
      log::error("start: {}", common.error().describe());
      return 1;
    }
    std::optional<crypto::Key> key;
    if (const auto* cfg = d.config()) {
      if (auto k = crypto::load_key(config::server_key_file(*cfg))) key = *k;
      else log::warning("APOP disabled: {}", k.error().describe());
    }
    auto& dir = *common->directory;
    net::ConnectionLimits connection_limits;
    connection_limits.idle_ms = 10 * 60 * 1000;       // RFC 1939 §3: at least ten minutes
    connection_limits.max_output = 96 * 1024 * 1024;  // one whole message in flight (RETR)
    pop3d::Services services{loop,          d.db(), dir, d.bus(), common->tls, key, common->hostname,
                             pop3d::this_process(common->hostname), pop3::Limits{}, connection_limits};
    net::Server server(
        loop,
        [&services](event::Tcp tcp, const std::string& service, std::function<void()> ended) {
          return std::make_unique<pop3d::Pop3Session>(services, std::move(tcp), service == "pop3s", std::move(ended));
        },
        [&dir] {
          const auto& s = dir.current()->settings;
          return net::ServerLimits{s.max_connections, s.max_per_address};
        },
        "-ERR [SYS/TEMP] Too many connections, try again later\r\n");
    auto listening = service::listen_all(server, d, {{"pop3", false}, {"pop3s", true}}, common->tls != nullptr);
    if (!listening) {
      log::error("start: {}", listening.error().describe());
      return 1;
    }
    d.on_stop([&server](std::function<void()> finished) { server.stop(std::move(finished)); });
    code = d.run();
  }
  return code;
}
