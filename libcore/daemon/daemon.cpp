// Child start-up and shutdown.
#include "libcore/daemon/daemon.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "libcore/base/log.hpp"
#include "proto/bus/topics.hpp"

namespace pillarbox::daemon {

Daemon::Daemon(event::Loop& loop) : loop_(loop), stop_deadline_(loop) {}

Daemon::~Daemon() = default;

Expected<void> Daemon::start(int db_workers) {
  auto env = read_environment([](const char* k) { return std::getenv(k); });
  if (!env) return Unexpected{env.error()};
  env_ = std::move(*env);
  log::init(env_.name);
  ::signal(SIGPIPE, SIG_IGN);

  if (!env_.config_path.empty()) {
    auto cfg = config::load(env_.config_path);
    if (!cfg) return Unexpected{cfg.error()};
    config_ = std::move(*cfg);
    log::set_level(config_->log_level);
  }

  bus_ = std::make_unique<bus::Client>(loop_, env_.bus_path, env_.name, static_cast<int>(::getpid()));
  std::optional<Expected<void>> connected;
  bus_->connect([&connected](Expected<void> r) { connected.emplace(std::move(r)); });
  if (!loop_.run_until([&] { return connected.has_value(); }, std::chrono::seconds(10)))
    return fail(ErrorCode::Unavailable, "connect to bus " + env_.bus_path + ": timed out");
  if (!*connected) return Unexpected{connected->error()};
  bus_->on_disconnect([this](const std::string& why) { stop("bus lost: " + why); });
  bus_->on_message([this](const bus::Message& m) { route(m); });
  bus_->start_heartbeat(env_.heartbeat_ms);

  if (db_workers > 0) {
    if (env_.database.empty()) return fail(ErrorCode::InvalidInput, "PILLARBOX_DATABASE is not set");
    db::ExecutorOptions opts;
    opts.conninfo = env_.database;
    opts.workers = db_workers;
    db_ = std::make_unique<db::Executor>(loop_, opts);
  }

  for (int sig : {SIGTERM, SIGINT})
    signals_.push_back(std::make_unique<event::Signal>(loop_, sig, [this](int s) {
      stop(s == SIGTERM ? "SIGTERM" : "SIGINT");
    }));
  log::info("started: {} listener(s), bus {}", env_.listeners.size(), env_.bus_path);
  return {};
}

void Daemon::on_config_changed(std::function<void(const nlohmann::json&)> cb) {
  on_config_ = std::move(cb);
  bus_->subscribe({std::string(bus::kConfigChanged)});
}

void Daemon::on_activity(std::function<void(const nlohmann::json&)> cb) {
  on_activity_ = std::move(cb);
  bus_->subscribe({std::string(bus::kActivity)});
}

void Daemon::on_mailbox_changed(std::function<void(const nlohmann::json&)> cb) {
  on_mailbox_changed_ = std::move(cb);
  bus_->subscribe({std::string(bus::kMailboxChanged)});
}

void Daemon::on_queue_ready(std::function<void(const nlohmann::json&)> cb) {
  on_queue_ready_ = std::move(cb);
  bus_->subscribe({std::string(bus::kQueueReady)});
}

void Daemon::route(const bus::Message& m) {
  if (m.topic == bus::kConfigChanged && on_config_) on_config_(m.data);
  if (m.topic == bus::kActivity && on_activity_) on_activity_(m.data);
  if (m.topic == bus::kMailboxChanged && on_mailbox_changed_) on_mailbox_changed_(m.data);
  if (m.topic == bus::kQueueReady && on_queue_ready_) on_queue_ready_(m.data);
}

void Daemon::stop(const std::string& why) {
  if (stopping_) return;
  stopping_ = true;
  log::info("stopping: {}", why);
  stop_deadline_.start(env_.shutdown_ms, 0, [this] {
    log::warning("stop: in-flight work did not finish within {} ms; exiting", env_.shutdown_ms);
    exit_code_ = 1;
    finish();
  });
  if (stop_hook_) {
    stop_hook_([this] { finish(); });
  } else {
    finish();
  }
}

void Daemon::finish() {
  stop_deadline_.stop();
  signals_.clear();
  if (bus_) bus_->stop_heartbeat();
  loop_.stop();
}

int Daemon::run() {
  loop_.run();
  // Join the database workers before handles go: their completions need the loop.
  db_.reset();
  bus_.reset();
  log::info("stopped");
  return exit_code_;
}

}  // namespace pillarbox::daemon
