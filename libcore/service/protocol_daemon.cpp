#include "libcore/service/protocol_daemon.hpp"

#include <chrono>

#include "libcore/base/log.hpp"

namespace pillarbox::service {

Expected<Common> start_common(event::Loop& loop, daemon::Daemon& d, int db_workers) {
  if (auto r = d.start(db_workers); !r) return Unexpected{r.error()};
  Common c;
  if (const auto* cfg = d.config()) {
    c.hostname = cfg->hostname;
    auto files = config::tls_files(*cfg);
    if (auto ctx = tls::Context::server(files.cert, files.key)) c.tls = *ctx;
    else log::warning("TLS disabled: {}", ctx.error().describe());
  }
  c.directory = std::make_unique<directory::Directory>(loop, d.db());
  if (auto r = c.directory->load_blocking(std::chrono::seconds(30)); !r)
    return fail(r.error().code, "load the directory: " + r.error().describe());
  auto* dir = c.directory.get();
  d.on_config_changed([dir](const nlohmann::json&) { dir->reload(); });
  return c;
}

Expected<void> listen_all(net::Server& server, const daemon::Daemon& d, const std::map<std::string, bool>& services,
                          bool have_tls) {
  for (const auto& l : d.listeners()) {
    auto it = services.find(l.service);
    if (it == services.end())
      return fail(ErrorCode::InvalidInput, d.environment().name + " does not serve '" + l.service + "'");
    if (it->second && !have_tls) return fail(ErrorCode::InvalidInput, l.service + " needs a TLS certificate");
    if (auto r = server.listen(l.fd, l.service); !r)
      return fail(r.error().code, l.service + ": " + r.error().describe());
  }
  return {};
}

}  // namespace pillarbox::service
