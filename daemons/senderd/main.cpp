// senderd: sends the outgoing queue — through the configured relays or
// directly to each domain's MX hosts — retrying temporary failures and
// reporting to senders (RFC 3464). No listeners: it works from the queue,
// woken by queue.ready. A thin main over the daemon start-up, the instance
// lock that marks its claims, and the scheduler.
#include <memory>
#include <optional>

#include "daemons/senderd/scheduler.hpp"
#include "libcore/base/log.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/service/protocol_daemon.hpp"
#include "libcore/store/instance_lock.hpp"

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
    auto lock = store::InstanceLock::acquire(loop, d.environment().database, store::kSenderLockNamespace,
                                             [&d](const std::string& why) {
                                               log::error("instance lock lost: {}; restarting", why);
                                               d.stop("instance lock lost");
                                             });
    if (!lock) {
      log::error("start: {}", lock.error().describe());
      return 1;
    }
    const auto& settings = common->directory->current()->settings;
    auto resolver = senderd::make_resolver(loop, settings.sender_dns_servers);
    if (!resolver) {
      log::error("start: dns: {}", resolver.error().describe());
      return 1;
    }
    auto tls = tls::Context::client(false);
    if (!tls) {
      log::error("start: tls: {}", tls.error().describe());
      return 1;
    }
    std::optional<crypto::Key> key;
    if (const auto* cfg = d.config()) {
      if (auto k = crypto::load_key(config::server_key_file(*cfg))) key = *k;
      else log::warning("relay AUTH unavailable: {}", k.error().describe());
    }
    senderd::JobContext jobs{loop, std::move(*resolver), settings.sender_dns_servers, *tls, common->hostname, key,
                             static_cast<uint16_t>(settings.sender_mx_port), {}, std::chrono::milliseconds(30000)};
    senderd::Scheduler scheduler(loop, d.db(), *common->directory, jobs, (*lock)->key());
    d.on_queue_ready([&scheduler](const nlohmann::json&) { scheduler.wake(); });
    d.on_stop([&scheduler](std::function<void()> finished) { scheduler.stop(std::move(finished)); });
    log::info("sending as {} (instance {})", common->hostname, (*lock)->key());
    scheduler.start();
    code = d.run();
  }
  return code;
}
