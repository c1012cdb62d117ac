// Daemon: the start-up and shutdown every child shares. It reads the master's
// environment (environment.hpp), takes the inherited listeners, connects to
// the bus and starts heartbeats, opens the database executor, and stops once
// on SIGTERM/SIGINT or when the master goes away (bus closed). It does not
// accept connections itself: the child's own code owns its listeners.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"
#include "libcore/bus/client.hpp"
#include "libcore/config/config.hpp"
#include "libcore/daemon/environment.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/signal.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::daemon {

class Daemon {
 public:
  // The stop hook stops accepting and calls `finished` once in-flight work is
  // done; the daemon exits after the master's shutdown bound regardless.
  using StopHook = std::function<void(std::function<void()> finished)>;

  explicit Daemon(event::Loop& loop);
  ~Daemon();

  // Reads the environment, connects the bus (waiting up to 10 s), opens the
  // executor with `db_workers` connections (none when 0). Errors are final:
  // the caller logs and exits non-zero so the master restarts it.
  Expected<void> start(int db_workers = 2);

  const Environment& environment() const { return env_; }
  const std::vector<Listener>& listeners() const { return env_.listeners; }
  // The bootstrap config, when PILLARBOX_CONFIG names one.
  const config::Bootstrap* config() const { return config_ ? &*config_ : nullptr; }
  bus::Client& bus() { return *bus_; }
  db::Executor& db() { return *db_; }

  void on_stop(StopHook hook) { stop_hook_ = std::move(hook); }
  // Subscribes to config.changed and calls cb with each event's data.
  void on_config_changed(std::function<void(const nlohmann::json&)> cb);
  // Subscribes to activity (child and database events from the master).
  void on_activity(std::function<void(const nlohmann::json&)> cb);
  // Subscribes to mailbox.changed (new mail, flag changes, expunges) and
  // calls cb with each event's data.
  void on_mailbox_changed(std::function<void(const nlohmann::json&)> cb);
  // Subscribes to queue.ready (mail waits in the outgoing queue).
  void on_queue_ready(std::function<void(const nlohmann::json&)> cb);

  // Starts stopping (as SIGTERM does). Idempotent.
  void stop(const std::string& why);
  // Runs the loop until stopped; returns the exit code.
  int run();

 private:
  void finish();

  event::Loop& loop_;
  Environment env_;
  std::optional<config::Bootstrap> config_;
  std::unique_ptr<bus::Client> bus_;
  std::unique_ptr<db::Executor> db_;
  std::vector<std::unique_ptr<event::Signal>> signals_;
  event::Timer stop_deadline_;
  StopHook stop_hook_;
  void route(const bus::Message& m);

  std::function<void(const nlohmann::json&)> on_config_;
  std::function<void(const nlohmann::json&)> on_activity_;
  std::function<void(const nlohmann::json&)> on_mailbox_changed_;
  std::function<void(const nlohmann::json&)> on_queue_ready_;
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace pillarbox::daemon
