// TempPostgres: initdb + postgres as child processes of the test executable.
// Children run in their own session, get SIGQUIT if the test dies, and (as
// root) drop to the `pillarbox` user between fork and exec. Errors throw: this
// is test set-up, where a clear message beats an error value.
#include "tests/support/pg_fixture.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>

namespace pillarbox::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartDeadline = std::chrono::seconds(30);
constexpr auto kStopDeadline = std::chrono::seconds(30);
constexpr const char* kUser = "pillarbox";

[[noreturn]] void fail(const std::string& message) {
  throw std::runtime_error("TempPostgres: " + message);
}

// Who the children run as: nullopt keeps the current user.
struct Account {
  uid_t uid;
  gid_t gid;
};

std::optional<Account> child_account() {
  if (getuid() != 0) return std::nullopt;
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r(kUser, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    fail(std::string("tests run as root and PostgreSQL refuses to run as root, so the test "
                     "server runs as the system user '") + kUser + "', which does not exist. "
         "Create it with `useradd --system --no-create-home " + kUser +
         "` (or run `make test`, which creates it).");
  }
  return Account{pw.pw_uid, pw.pw_gid};
}

bool has_initdb(const std::string& dir) { return access((dir + "/initdb").c_str(), X_OK) == 0; }

std::string pg_config_bindir() {
  FILE* p = popen("pg_config --bindir 2>/dev/null", "r");
  if (!p) return {};
  char line[4096] = {};
  std::string out = fgets(line, sizeof line, p) ? line : "";
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string find_bindir() {
  if (const char* env = std::getenv("PILLARBOX_PG_BINDIR"); env && *env) {
    if (!has_initdb(env)) fail(std::string("PILLARBOX_PG_BINDIR=") + env + " holds no initdb");
    return env;
  }
  if (std::string dir = pg_config_bindir(); !dir.empty() && has_initdb(dir)) return dir;
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string bin = entry.path().string() + "/bin";
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && has_initdb(bin)) {
      best = bin;
      best_version = version;
    }
  }
  if (best.empty()) {
    fail("cannot find the PostgreSQL server programs (initdb, postgres): install the "
         "postgresql package (packaging/install-deps.sh) or set PILLARBOX_PG_BINDIR");
  }
  return best;
}

// A fresh 0700 directory; short, since the socket path must fit sun_path.
std::string make_temp_dir(bool as_root) {
  std::string base = "/tmp";
  const char* tmp = std::getenv("TMPDIR");
  // Under root the server user must be able to reach the dir: stay in /tmp.
  if (!as_root && tmp && *tmp && std::strlen(tmp) < 60) base = tmp;
  std::string templ = base + "/pillarbox-pg-XXXXXX";
  if (!mkdtemp(templ.data())) fail("mkdtemp " + templ + ": " + std::strerror(errno));
  return templ;
}

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  if (s.size() > 8000) s = "...\n" + s.substr(s.size() - 8000);
  return s.empty() ? "(empty)\n" : s;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// strerrordesc_np, unlike strerror, takes no locale lock: safe after fork.
void child_fail(const char* what) {
  const char* err = strerrordesc_np(errno);
  ssize_t rc = write(STDERR_FILENO, what, std::strlen(what));
  rc = write(STDERR_FILENO, err, std::strlen(err));
  rc = write(STDERR_FILENO, "\n", 1);
  (void)rc;
  _exit(127);
}

// fork + exec of argv[0] with output to `log`. Between fork and exec only
// async-signal-safe calls: everything else is prepared before the fork.
pid_t spawn(const std::vector<std::string>& args, const std::string& cwd, const std::string& log,
            const std::optional<Account>& account) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) fail("open " + log + ": " + std::strerror(errno));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    fail(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
        dup2(log_fd, STDERR_FILENO) < 0) {
      _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    setsid();  // keep the terminal's ^C away from the server
    if (account) {
      if (setgroups(1, &account->gid) != 0) child_fail("setgroups: ");
      if (setgid(account->gid) != 0) child_fail("setgid: ");
      if (setuid(account->uid) != 0) child_fail("setuid: ");
    }
    // After setuid, which clears it. SIGQUIT = immediate shutdown.
    prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (getppid() != parent) _exit(127);
    if (chdir(cwd.c_str()) != 0) child_fail("chdir: ");
    execv(argv[0], argv.data());
    child_fail("exec: ");
  }
  close(log_fd);
  return pid;
}

// Waits for `pid` until `deadline`; the wait status, or nullopt on timeout.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // reaped elsewhere (SIGCHLD ignored)
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Quotes a libpq keyword value when it needs it.
std::string conn_value(const std::string& v) {
  if (!v.empty() && v.find_first_of(" '\\") == std::string::npos) return v;
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

TempPostgres& TempPostgres::shared() {
  static TempPostgres instance;
  return instance;
}

TempPostgres::TempPostgres() {
  const std::string bindir = find_bindir();
  const auto account = child_account();
  dir_ = make_temp_dir(account.has_value());
  try {
    const std::string run = dir_ + "/run";
    if (mkdir(run.c_str(), 0700) != 0) fail("mkdir " + run + ": " + std::strerror(errno));
    if (account && (chown(dir_.c_str(), account->uid, account->gid) != 0 ||
                    chown(run.c_str(), account->uid, account->gid) != 0)) {
      fail("chown " + dir_ + " to " + kUser + ": " + std::strerror(errno));
    }

    const std::string initdb_log = dir_ + "/initdb.log";
    pid_t initdb = spawn({bindir + "/initdb", "-D", dir_ + "/pg", "-U", kUser, "--auth=trust",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
                         dir_, initdb_log, account);
    auto status = wait_until(initdb, Clock::now() + kStartDeadline * 2);
    if (!status) {
      kill(initdb, SIGKILL);
      waitpid(initdb, nullptr, 0);
      fail("initdb did not finish in 60 s; its output:\n" + tail_of(initdb_log));
    }
    if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
      fail("initdb failed (" + describe_status(*status) + "); its output:\n" + tail_of(initdb_log));
    }

    const std::string log = dir_ + "/postgres.log";
    pid_ = spawn({bindir + "/postgres", "-D", dir_ + "/pg", "-k", run, "-c", "listen_addresses=",
                  "-c", "fsync=off"},
                 dir_, log, account);
    const auto deadline = Clock::now() + kStartDeadline;
    const std::string probe = conninfo("postgres") + " connect_timeout=2";
    while (PQping(probe.c_str()) != PQPING_OK) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        fail("postgres stopped (" + describe_status(st) +
             ") before accepting connections; its log:\n" + tail_of(log));
      }
      if (Clock::now() >= deadline) {
        fail("postgres did not accept connections within 30 s; its log:\n" + tail_of(log));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pqxx::connection admin{conninfo("postgres")};
    pqxx::nontransaction tx{admin};
    tx.exec0("CREATE DATABASE pillarbox");
  } catch (...) {
    stop();
    throw;
  }
}

TempPostgres::~TempPostgres() { stop(); }

std::string TempPostgres::conninfo(const std::string& dbname) const {
  return "host=" + conn_value(dir_ + "/run") + " dbname=" + conn_value(dbname) +
         " user=" + kUser;
}

std::string TempPostgres::create_database() {
  std::lock_guard lock(mutex_);
  const std::string name = "test_" + std::to_string(getpid()) + "_" + std::to_string(++counter_);
  try {
    pqxx::connection admin{conninfo("postgres")};
    pqxx::nontransaction tx{admin};
    tx.exec0("CREATE DATABASE " + name);
  } catch (const std::exception& e) {
    fail("CREATE DATABASE " + name + ": " + e.what());
  }
  return conninfo(name);
}

void TempPostgres::stop() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown: disconnects clients, no checkpoint wait
    if (!wait_until(pid_, Clock::now() + kStopDeadline)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

}  // namespace pillarbox::test
