// Child supervision. Restart delays grow so a child that crashes at once does
// not spin; the listening sockets stay open in the master meanwhile, so
// clients queue in the backlog instead of being refused.
#include "daemons/master/supervisor.hpp"

#include <signal.h>

#include "libcore/base/log.hpp"

namespace pillarbox::master {

struct Supervisor::Child {
  ChildPlan plan;
  std::optional<event::Process> proc;
  std::unique_ptr<event::Timer> restart;
  uint64_t started_at = 0;
  uint64_t last_heartbeat = 0;
  bool heard = false;           // sent a heartbeat since this start
  bool killed_for_silence = false;
  int early_failures = 0;
  uint64_t backoff_ms = 1000;
  int restarts = 0;
  bool held = false;
};

Supervisor::Supervisor(event::Loop& loop, SupervisorOptions options, EventCb on_event)
    : loop_(loop), options_(std::move(options)), on_event_(std::move(on_event)), watchdog_(loop), stop_deadline_(loop) {}

Supervisor::~Supervisor() = default;

void Supervisor::add(ChildPlan plan) {
  auto c = std::make_unique<Child>();
  c->plan = std::move(plan);
  c->restart = std::make_unique<event::Timer>(loop_);
  children_.push_back(std::move(c));
}

void Supervisor::start_all() {
  for (auto& c : children_) spawn(*c);
  uint64_t tick = std::max<uint64_t>(100, options_.heartbeat_timeout_ms / 4);
  watchdog_.start(tick, tick, [this] { check_heartbeats(); });
}

void Supervisor::spawn(Child& c) {
  event::ProcessOptions o;
  o.file = c.plan.program;
  o.args = c.plan.args;
  o.env = options_.base_env;
  for (auto& v : daemon::to_variables(c.plan.env)) o.env.push_back(v);
  o.pass_fds = c.plan.fds;
  if (options_.user.switch_to) {
    o.uid = options_.user.uid;
    o.gid = options_.user.gid;
  }
  Child* cp = &c;
  auto p = event::Process::spawn(loop_, o, [this, cp](int64_t st, int sig) { exited(*cp, st, sig); });
  if (!p) {
    report(c, "start-failed", p.error().describe());
    exited(c, 127, 0);
    return;
  }
  c.proc = std::move(*p);
  c.started_at = c.last_heartbeat = loop_.now_ms();
  c.heard = false;
  c.killed_for_silence = false;
  report(c, "started", "pid " + std::to_string(c.proc->pid()));
}

void Supervisor::exited(Child& c, int64_t status, int sig) {
  std::string how = sig ? "killed by signal " + std::to_string(sig) : "exit status " + std::to_string(status);
  if (stopping_) {
    report(c, "stopped", how);
    maybe_stopped();
    return;
  }
  uint64_t up = loop_.now_ms() - c.started_at;
  if (up >= 60000) c.backoff_ms = 1000;
  c.early_failures = c.heard ? 0 : c.early_failures + 1;
  if (c.early_failures >= kMaxEarlyFailures) {
    c.held = true;
    report(c, "held", how + "; failed " + std::to_string(c.early_failures) +
                          " starts in a row without a heartbeat, not restarting");
    return;
  }
  uint64_t delay = c.backoff_ms;
  c.backoff_ms = std::min<uint64_t>(c.backoff_ms * 2, 60000);
  report(c, "exited", how + "; restarting in " + std::to_string(delay) + " ms");
  Child* cp = &c;
  c.restart->start(delay, 0, [this, cp] {
    ++cp->restarts;
    spawn(*cp);
  });
}

void Supervisor::heartbeat(int pid) {
  for (auto& c : children_) {
    if (c->proc && c->proc->running() && c->proc->pid() == pid) {
      c->last_heartbeat = loop_.now_ms();
      c->heard = true;
    }
  }
}

void Supervisor::check_heartbeats() {
  uint64_t now = loop_.now_ms();
  for (auto& c : children_) {
    if (!c->proc || !c->proc->running() || c->killed_for_silence) continue;
    if (now - c->last_heartbeat < options_.heartbeat_timeout_ms) continue;
    c->killed_for_silence = true;
    report(*c, "hung", "no heartbeat for " + std::to_string((now - c->last_heartbeat) / 1000) + " s; killing pid " +
                           std::to_string(c->proc->pid()));
    (void)c->proc->kill(SIGKILL);
  }
}

void Supervisor::stop_all(std::function<void()> done) {
  stopping_ = true;
  stopped_ = std::move(done);
  watchdog_.stop();
  for (auto& c : children_) {
    c->restart->stop();
    if (c->proc && c->proc->running()) (void)c->proc->kill(SIGTERM);
  }
  stop_deadline_.start(options_.shutdown_ms, 0, [this] {
    for (auto& c : children_) {
      if (c->proc && c->proc->running()) {
        report(*c, "kill", "did not stop within the shutdown bound; SIGKILL");
        (void)c->proc->kill(SIGKILL);
      }
    }
  });
  maybe_stopped();
}

void Supervisor::maybe_stopped() {
  if (!stopping_ || !stopped_) return;
  for (auto& c : children_)
    if (c->proc && c->proc->running()) return;
  stop_deadline_.stop();
  auto done = std::move(stopped_);
  stopped_ = nullptr;
  done();
}

void Supervisor::report(const Child& c, const std::string& event, const std::string& detail) {
  bool bad = event == "exited" || event == "hung" || event == "held" || event == "start-failed" || event == "kill";
  if (bad && !stopping_)
    log::warning("child {}: {}: {}", c.plan.name, event, detail);
  else
    log::info("child {}: {}: {}", c.plan.name, event, detail);
  if (on_event_)
    on_event_({{"child", c.plan.name}, {"event", event}, {"detail", detail},
               {"pid", c.proc ? c.proc->pid() : 0}});
}

nlohmann::json Supervisor::status() const {
  auto out = nlohmann::json::array();
  for (auto& c : children_)
    out.push_back({{"name", c->plan.name},
                   {"pid", c->proc && c->proc->running() ? c->proc->pid() : 0},
                   {"restarts", c->restarts},
                   {"held", c->held}});
  return out;
}

}  // namespace pillarbox::master
