// smtpd: receives mail over SMTP (RFC 5321) on the smtp, submission and smtps
// listeners the master hands it, and stores each accepted message in
// PostgreSQL before saying so. A thin main over daemon start-up, the
// directory (routing and access rules), and SmtpServer.
#include <memory>

#include "daemons/smtpd/smtp_session.hpp"
#include "libcore/net/server.hpp"
#include "libcore/base/log.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/directory/directory.hpp"
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
    std::string hostname = "localhost";
    if (const auto* cfg = d.config()) {
      hostname = cfg->hostname;
      auto files = config::tls_files(*cfg);
      auto ctx = tls::Context::server(files.cert, files.key);
      if (ctx) tls = *ctx;
      else log::warning("TLS disabled: {}", ctx.error().describe());
    }
    directory::Directory dir(loop, d.db());
    if (auto r = dir.load_blocking(std::chrono::seconds(30)); !r) {
      log::error("start: load the directory: {}", r.error().describe());
      return 1;
    }
    d.on_config_changed([&dir](const nlohmann::json&) { dir.reload(); });

    smtpd::Services services{loop, d.db(), dir, d.bus(), tls, hostname, smtp::Limits{}, net::ConnectionLimits{}};
    net::Server server(
        loop,
        [&services](event::Tcp tcp, const std::string& service, std::function<void()> ended) {
          return std::make_unique<smtpd::SmtpSession>(services, std::move(tcp), smtpd::listener_kind(service),
                                                      std::move(ended));
        },
        [&dir] {
          const auto& s = dir.current()->settings;
          return net::ServerLimits{s.smtp_max_connections, s.smtp_max_per_address};
        },
        "421 4.7.0 " + hostname + " Error: too many connections, try again later\r\n");
    for (const auto& l : d.listeners()) {
      auto kind = smtpd::parse_listener(l.service);
      if (!kind) {
        log::error("start: {}", kind.error().describe());
        return 1;
      }
      if (*kind == smtp::Listener::Smtps && !tls) {
        log::error("start: smtps needs a TLS certificate");
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
