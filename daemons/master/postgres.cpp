// Embedded PostgreSQL management. initdb uses trust authentication on the
// Unix socket only: the socket folder is reachable by the service user and
// root alone, and there is no TCP listener.
#include "daemons/master/postgres.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "libcore/base/log.hpp"

namespace pillarbox::master {
namespace fs = std::filesystem;

Expected<std::string> find_postgres_bindir() {
  std::string tried;
  if (FILE* p = ::popen("pg_config --bindir 2>/dev/null", "r")) {
    char buf[512] = {};
    std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
    ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (!out.empty() && fs::exists(out + "/postgres") && fs::exists(out + "/initdb")) return out;
    tried += "pg_config --bindir";
  }
  std::string best;
  std::error_code ec;
  for (auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string bin = e.path().string() + "/bin";
    if (fs::exists(bin + "/postgres") && fs::exists(bin + "/initdb") && bin > best) best = bin;
  }
  if (!best.empty()) return best;
  return fail(ErrorCode::NotFound, "PostgreSQL server binaries not found (tried " +
              (tried.empty() ? std::string() : tried + ", ") + "/usr/lib/postgresql/*/bin); install the postgresql package");
}

EmbeddedPostgres::EmbeddedPostgres(event::Loop& loop, DataDir dir, ServiceUser user)
    : loop_(loop), dir_(std::move(dir)), user_(std::move(user)), restart_timer_(loop), kill_timer_(loop) {}

std::string EmbeddedPostgres::conninfo(const std::string& dbname) const {
  return "host=" + dir_.run() + " dbname=" + dbname + " user=" + kRole;
}

Expected<void> EmbeddedPostgres::start() {
  auto bindir = find_postgres_bindir();
  if (!bindir) return Unexpected{bindir.error()};
  bindir_ = *bindir;
  if (!fs::exists(dir_.pg() + "/PG_VERSION")) {
    if (auto r = initdb(bindir_); !r) return r;
  }
  stop_orphan();
  if (auto r = spawn(); !r) return r;
  if (auto r = wait_accepting(std::chrono::seconds(30)); !r) return r;
  return create_database();
}

void EmbeddedPostgres::stop_orphan() {
  // A postmaster left behind by a master that was killed: we hold the data
  // directory lock, so it is ours to stop before starting a fresh one.
  std::ifstream pidfile(dir_.pg() + "/postmaster.pid");
  long pid = 0;
  if (!(pidfile >> pid) || pid <= 1 || ::kill(static_cast<pid_t>(pid), 0) != 0) return;
  log::warning("stopping a postgres left running by an earlier pillarboxd (pid {})", pid);
  ::kill(static_cast<pid_t>(pid), SIGINT);
  event::Timer tick(loop_);
  bool gone = false;
  tick.start(50, 50, [&] { gone = ::kill(static_cast<pid_t>(pid), 0) != 0; });
  if (!loop_.run_until([&] { return gone; }, std::chrono::seconds(15))) {
    ::kill(static_cast<pid_t>(pid), SIGQUIT);
    loop_.run_until([&] { return gone; }, std::chrono::seconds(5));
  }
}

Expected<void> EmbeddedPostgres::initdb(const std::string& bindir) {
  if (auto r = make_dirs(dir_.pg(), 0700); !r) return r;
  if (user_.switch_to && ::chown(dir_.pg().c_str(), user_.uid, user_.gid) != 0)
    return fail(ErrorCode::PermissionDenied, "chown " + dir_.pg() + ": " + std::strerror(errno));
  std::string log_path = dir_.run() + "/initdb.log";
  UniqueFd out(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
  log::info("creating the database cluster in {} (initdb)", dir_.pg());

  event::ProcessOptions o;
  o.file = bindir + "/initdb";
  o.args = {"-D", dir_.pg(), "-U", kRole, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-instructions"};
  if (user_.switch_to) {
    o.uid = user_.uid;
    o.gid = user_.gid;
  }
  if (out.valid()) o.stdout_fd = o.stderr_fd = out.get();
  std::optional<std::pair<int64_t, int>> result;
  auto p = event::Process::spawn(loop_, o, [&result](int64_t st, int sig) { result.emplace(st, sig); });
  if (!p) return Unexpected{p.error()};
  loop_.run_until([&] { return result.has_value(); }, std::chrono::minutes(5));
  if (!result || result->first != 0 || result->second != 0) {
    std::ifstream in(log_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return fail(ErrorCode::Internal, "initdb failed; its output (" + log_path + "):\n" + ss.str());
  }
  return {};
}

Expected<void> EmbeddedPostgres::spawn() {
  event::ProcessOptions o;
  o.file = bindir_ + "/postgres";
  o.args = {"-D", dir_.pg(), "-k", dir_.run(), "-c", "listen_addresses=",
            "-c", "log_min_messages=warning", "-c", "log_line_prefix=%m postgres[%p]: "};
  if (user_.switch_to) {
    o.uid = user_.uid;
    o.gid = user_.gid;
  }
  auto p = event::Process::spawn(loop_, o, [this](int64_t st, int sig) { exited(st, sig); });
  if (!p) return Unexpected{p.error()};
  proc_ = std::move(*p);
  started_at_ = loop_.now_ms();
  log::info("postgres started (pid {})", proc_->pid());
  return {};
}

Expected<void> EmbeddedPostgres::wait_accepting(std::chrono::milliseconds deadline) {
  std::string info = conninfo("postgres") + " connect_timeout=2";
  event::Timer tick(loop_);
  bool ok = false;
  auto check = [&] { ok = PQping(info.c_str()) == PQPING_OK; };
  tick.start(0, 100, check);
  loop_.run_until([&] { return ok || !proc_->running(); }, deadline);
  if (ok) return {};
  return fail(ErrorCode::Unavailable, proc_->running() ? "postgres did not accept connections in time"
                                                       : "postgres exited during start-up (see its log above)");
}

Expected<void> EmbeddedPostgres::create_database() {
  try {
    pqxx::connection c(conninfo("postgres"));
    pqxx::nontransaction tx(c);
    auto r = tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", std::string(kDatabase));
    if (r.empty()) {
      tx.exec0(std::string("CREATE DATABASE ") + kDatabase);
      log::info("created database {}", kDatabase);
    }
    return {};
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unavailable, std::string("create database ") + kDatabase + ": " + e.what());
  }
}

void EmbeddedPostgres::exited(int64_t status, int sig) {
  std::string how = sig ? "signal " + std::to_string(sig) : "status " + std::to_string(status);
  if (stopping_) {
    kill_timer_.stop();
    log::info("postgres stopped ({})", how);
    if (stopped_) stopped_();
    return;
  }
  if (loop_.now_ms() - started_at_ >= 60000) backoff_ms_ = 1000;
  std::string what = "postgres exited (" + how + "); restarting in " + std::to_string(backoff_ms_ / 1000) + " s";
  log::error("{}", what);
  if (on_event_) on_event_(what);
  restart_timer_.start(backoff_ms_, 0, [this] {
    if (auto r = spawn(); !r) log::error("restart postgres: {}", r.error().describe());
  });
  backoff_ms_ = std::min<uint64_t>(backoff_ms_ * 2, 60000);
}

void EmbeddedPostgres::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  stopping_ = true;
  restart_timer_.stop();
  if (!proc_ || !proc_->running()) {
    done();
    return;
  }
  stopped_ = std::move(done);
  (void)proc_->kill(SIGINT);
  kill_timer_.start(static_cast<uint64_t>(grace.count()), 0, [this] {
    log::warning("postgres did not stop in time; sending SIGQUIT");
    (void)proc_->kill(SIGQUIT);
  });
}

}  // namespace pillarbox::master
