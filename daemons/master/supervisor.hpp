// Supervisor: runs the child programs, each with its inherited listeners, and
// keeps them running — restart on exit with backoff (1 s doubling to 60 s,
// reset after a minute up), kill and restart a child silent on the bus for
// the heartbeat timeout, hold a child that fails kMaxEarlyFailures starts in a
// row without ever sending a heartbeat. Each event goes to the log and to
// the caller (the master puts it on the bus as `activity`).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemons/master/service_user.hpp"
#include "libcore/daemon/environment.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/process.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::master {

struct ChildPlan {
  std::string name;
  std::string program;
  std::vector<std::string> args;
  std::vector<int> fds;                 // the master's sockets, in listener order
  daemon::Environment env;              // listeners numbered from fd 3 in that order
};

struct SupervisorOptions {
  uint64_t heartbeat_timeout_ms = 30000;
  uint64_t shutdown_ms = 10000;
  std::vector<std::string> base_env;  // inherited variables, filtered by the caller
  ServiceUser user;
};

class Supervisor {
 public:
  static constexpr int kMaxEarlyFailures = 5;
  using EventCb = std::function<void(const nlohmann::json&)>;

  Supervisor(event::Loop& loop, SupervisorOptions options, EventCb on_event);
  ~Supervisor();

  void add(ChildPlan plan);
  void start_all();
  // A heartbeat from the bus; pid identifies the child.
  void heartbeat(int pid);
  // SIGTERM to every child, SIGKILL to those left after the shutdown bound;
  // `done` runs once all have exited. No restarts from then on.
  void stop_all(std::function<void()> done);

  // For status: name, pid (0 when not running), restarts.
  nlohmann::json status() const;

 private:
  struct Child;
  void spawn(Child& c);
  void exited(Child& c, int64_t status, int sig);
  void check_heartbeats();
  void report(const Child& c, const std::string& event, const std::string& detail);
  void maybe_stopped();

  event::Loop& loop_;
  SupervisorOptions options_;
  EventCb on_event_;
  std::vector<std::unique_ptr<Child>> children_;
  event::Timer watchdog_;
  event::Timer stop_deadline_;
  bool stopping_ = false;
  std::function<void()> stopped_;
};

}  // namespace pillarbox::master
