// imapd: serves mailboxes over IMAP4rev1 (RFC 3501 and extensions) on the
// imap (STARTTLS) and imaps (implicit TLS) listeners the master hands it. A
// thin main over daemon start-up, the directory, the mailbox watchers and
// net::Server.
#include <memory>

#include "daemons/imapd/imap_session.hpp"
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
    imapd::Watchers watchers;
    d.on_mailbox_changed([&watchers](const nlohmann::json& event) { watchers.notify(event); });
    net::ConnectionLimits connection_limits;
    connection_limits.idle_ms = 30 * 60 * 1000;       // RFC 3501 §5.4: at least 30 minutes
    connection_limits.max_output = 96 * 1024 * 1024;  // a whole message in flight (FETCH BODY[])
    imapd::Services services{loop, d.db(), dir, d.bus(), common->tls, common->hostname, watchers, imap::Limits{},
                             connection_limits, 30000, {}};
    net::Server server(
        loop,
        [&services](event::Tcp tcp, const std::string& service, std::function<void()> ended) {
          return std::make_unique<imapd::ImapSession>(services, std::move(tcp), service == "imaps", std::move(ended));
        },
        [&dir] {
          const auto& s = dir.current()->settings;
          return net::ServerLimits{s.max_connections, s.max_per_address};
        },
        "* BYE Too many connections, try again later\r\n");
    auto listening = service::listen_all(server, d, {{"imap", false}, {"imaps", true}}, common->tls != nullptr);
    if (!listening) {
      log::error("start: {}", listening.error().describe());
      return 1;
    }
    d.on_stop([&server](std::function<void()> finished) { server.stop(std::move(finished)); });
    code = d.run();
  }
  return code;
}
