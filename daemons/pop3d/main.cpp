// pop3d: serves mailboxes over POP3 (RFC 1939) on the pop3 (STLS) and pop3s
// (implicit TLS) listeners the master hands it. A thin main over daemon
// start-up, the directory (access rules and settings) and net::Server.
#include <memory>

#include "daemons/pop3d/lock_identity.hpp"
#include "daemons/pop3d/pop3_session.hpp"
#include "libcore/base/log.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/net/server.hpp"
#include "libcore/tls/context.hpp"

using namespace pillarbox;

int main() {
  event::Loop loop;
  int code = 0;
  {
    daemon::Daemon d(loop);
    if (auto r = d.start(4); !r) {
      log::error("start: {}", r.error().describe());
      return 1;
    }
    std::shared_ptr<tls::Context> tls;
    std::optional<crypto::Key> key;
    std::string hostname = "localhost";
    if (const auto* cfg = d.config()) {
      hostname = cfg->hostname;
      auto files = config::tls_files(*cfg);
      if (auto ctx = tls::Context::server(files.cert, files.key)) tls = *ctx;
      else log::warning("TLS disabled: {}", ctx.error().describe());
      if (auto k = crypto::load_key(config::server_key_file(*cfg))) key = *k;
      else log::warning("APOP disabled: {}", k.error().describe());
    }
    directory::Directory dir(loop, d.db());
    if (auto r = dir.load_blocking(std::chrono::seconds(30)); !r) {
      log::error("start: load the directory: {}", r.error().describe());
      return 1;
    }
    d.on_config_changed([&dir](const nlohmann::json&) { dir.reload(); });

    net::ConnectionLimits connection_limits;
    connection_limits.idle_ms = 10 * 60 * 1000;         // RFC 1939 §3: at least ten minutes
    connection_limits.max_output = 96 * 1024 * 1024;    // one whole message in flight (RETR)
    pop3d::Services services{loop,     d.db(), dir, d.bus(), tls, key, hostname, pop3d::this_process(hostname),
                             pop3::Limits{}, connection_limits};
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
    for (const auto& l : d.listeners()) {
      if (l.service != "pop3" && l.service != "pop3s") {
        log::error("start: pop3d does not serve '{}'", l.service);
        return 1;
      }
      if (l.service == "pop3s" && !tls) {
        log::error("start: pop3s needs a TLS certificate");
        return 1;
      }
      if (auto r = server.listen(l.fd, l.service); !r) {
        log::error("start: {}: {}", l.service, r.error().describe());
        return 1;
      }
    }
    d.on_stop([&server](std::function<void()> finished) { server.stop(std::move(finished)); });
    code = d.run();
  }
  return code;
}
