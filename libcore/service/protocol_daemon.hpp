// What every protocol daemon (smtpd, pop3d, imapd, adminhttpd) sets up around
// daemon::Daemon: the host name, the server certificate, the directory (loaded
// before serving, reloaded on config.changed), and its listeners on a
// net::Server, each checked against the services the daemon serves.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "libcore/base/expected.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/net/server.hpp"
#include "libcore/tls/context.hpp"

namespace pillarbox::service {

struct Common {
  std::string hostname = "localhost";
  std::shared_ptr<tls::Context> tls;  // null: no certificate (STARTTLS not offered, implicit TLS refused)
  std::unique_ptr<directory::Directory> directory;
};

// Starts the daemon (d.start with `db_workers` connections), reads the host
// name and certificate from the config and loads the directory (waiting up
// to 30 s), subscribed to config.changed.
Expected<Common> start_common(event::Loop& loop, daemon::Daemon& d, int db_workers = 4);

// Listens on every inherited socket. `services` names what this daemon
// serves, each with whether it is implicit TLS (then a certificate is needed).
Expected<void> listen_all(net::Server& server, const daemon::Daemon& d, const std::map<std::string, bool>& services,
                          bool have_tls);

}  // namespace pillarbox::service
