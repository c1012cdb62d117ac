// smtpd: receives mail over SMTP (RFC 5321) on the smtp, submission and smtps
// listeners the master hands it, and stores each accepted message in
// PostgreSQL before saying so. A thin main over daemon start-up, the
// directory (routing and access rules), and net::Server.
#include <memory>

#include "daemons/smtpd/smtp_session.hpp"
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
    auto& dir = *common->directory;
    smtpd::Services services{loop, d.db(), dir, d.bus(), common->tls, common->hostname, smtp::Limits{},
                             net::ConnectionLimits{}};
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
        "421 4.7.0 " + common->hostname + " Error: too many connections, try again later\r\n");
    auto listening =
        service::listen_all(server, d, {{"smtp", false}, {"submission", false}, {"smtps", true}}, common->tls != nullptr);
    if (!listening) {
      log::error("start: {}", listening.error().describe());
      return 1;
    }
    d.on_stop([&server](std::function<void()> finished) { server.stop(std::move(finished)); });
    code = d.run();
  }
  return code;
}
