// The embedded PostgreSQL: created with initdb on first start in DATA/pg, run
// as a supervised child listening only on a Unix socket in DATA/run, restarted
// with backoff if it dies, and stopped last with a fast (clean) shutdown.
// Used only when the config names no external database.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "daemons/master/data_dir.hpp"
#include "daemons/master/service_user.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/process.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::master {

// The folder holding initdb and postgres: `pg_config --bindir`, else the
// newest /usr/lib/postgresql/*/bin. NotFound names what was tried.
Expected<std::string> find_postgres_bindir();

class EmbeddedPostgres {
 public:
  static constexpr const char* kDatabase = "pillarbox";
  static constexpr const char* kRole = "pillarbox";

  EmbeddedPostgres(event::Loop& loop, DataDir dir, ServiceUser user);

  // Blocking start-up, before children exist: initdb if needed, start the
  // server, wait until it accepts (30 s), create the database if missing.
  Expected<void> start();
  // libpq key=value conninfo for `dbname` over the Unix socket.
  std::string conninfo(const std::string& dbname = kDatabase) const;
  int pid() const { return proc_ && proc_->running() ? proc_->pid() : 0; }

  // Reports crashes and restarts ("postgres exited (signal 9); restarting in 1 s").
  void on_event(std::function<void(const std::string&)> cb) { on_event_ = std::move(cb); }

  // Fast shutdown (SIGINT), then immediate (SIGQUIT) after `grace`; `done`
  // runs on the loop once the server has exited.
  void stop(std::chrono::milliseconds grace, std::function<void()> done);

 private:
  Expected<void> initdb(const std::string& bindir);
  void stop_orphan();
  Expected<void> spawn();
  Expected<void> wait_accepting(std::chrono::milliseconds deadline);
  Expected<void> create_database();
  void exited(int64_t status, int sig);

  event::Loop& loop_;
  DataDir dir_;
  ServiceUser user_;
  std::string bindir_;
  std::optional<event::Process> proc_;
  event::Timer restart_timer_;
  event::Timer kill_timer_;
  uint64_t started_at_ = 0;
  uint64_t backoff_ms_ = 1000;
  bool stopping_ = false;
  std::function<void()> stopped_;
  std::function<void(const std::string&)> on_event_;
};

}  // namespace pillarbox::master
