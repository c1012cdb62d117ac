// I/O tests for libcore/event/process: exit status and terminating signal,
// kill(), passed descriptors becoming 3, 4, ..., standard output and error
// redirection, standard input from /dev/null, env and cwd, dropping to
// another uid/gid, and a missing program failing with NotFound. Children are
// /bin/sh one-liners; every test waits for its child's exit on the loop.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "libcore/event/loop.hpp"
#include "libcore/event/process.hpp"

using namespace pillarbox;
using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 10s;

struct Exit {
  bool done = false;
  int64_t status = -1;
  int signal = -1;
};

ProcessOptions shell(const std::string& script) {
  ProcessOptions o;
  o.file = "/bin/sh";
  o.args = {"-c", script};
  return o;
}

// A pipe whose ends close themselves; close_write() once the child has its copy.
struct PipeFds {
  int r = -1;
  int w = -1;
  PipeFds() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    r = fds[0];
    w = fds[1];
  }
  ~PipeFds() {
    if (r >= 0) ::close(r);
    close_write();
  }
  void close_write() {
    if (w >= 0) ::close(w);
    w = -1;
  }
  // Everything until EOF; call after the child has exited and close_write().
  std::string read_all() const {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(r, buf, sizeof buf);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;
      }
    }
    return out;
  }
};

// Spawns, waits for the exit, and returns it.
Exit run(Loop& loop, const ProcessOptions& o) {
  Exit e;
  auto p = Process::spawn(loop, o, [&e](int64_t status, int sig) {
    e.done = true;
    e.status = status;
    e.signal = sig;
  });
  INFO((p.ok() ? std::string() : p.error().describe()));
  REQUIRE(p.ok());
  REQUIRE(loop.run_until([&] { return e.done; }, kDeadline));
  return e;
}

}  // namespace

TEST_CASE("Process exit status is reported", "[process]") {
  Loop loop;
  Exit e;
  auto p = Process::spawn(loop, shell("exit 3"), [&](int64_t status, int sig) {
    e.done = true;
    e.status = status;
    e.signal = sig;
  });
  REQUIRE(p.ok());
  CHECK(p->pid() > 0);
  CHECK(p->running());
  REQUIRE(loop.run_until([&] { return e.done; }, kDeadline));
  CHECK(e.status == 3);
  CHECK(e.signal == 0);
  CHECK_FALSE(p->running());
}

TEST_CASE("Process exit status zero", "[process]") {
  Loop loop;
  Exit e = run(loop, shell("true"));
  CHECK(e.status == 0);
  CHECK(e.signal == 0);
}

TEST_CASE("Process kill with SIGTERM reports term_signal 15", "[process]") {
  Loop loop;
  Exit e;
  auto p = Process::spawn(loop, shell("exec sleep 30"), [&](int64_t status, int sig) {
    e.done = true;
    e.status = status;
    e.signal = sig;
  });
  REQUIRE(p.ok());
  REQUIRE(p->kill(SIGTERM).ok());
  REQUIRE(loop.run_until([&] { return e.done; }, kDeadline));
  CHECK(e.signal == SIGTERM);
  CHECK(e.signal == 15);
  CHECK(e.status == 0);
  CHECK_FALSE(p->running());

  auto again = p->kill(SIGTERM);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::NotFound);
}

TEST_CASE("Process pass_fds gives the child a pipe as descriptor 3", "[process]") {
  Loop loop;
  PipeFds out;
  ProcessOptions o = shell("echo hi >&3");
  o.pass_fds = {out.w};  // O_CLOEXEC: libuv must dup2 it into place
  Exit e;
  auto p = Process::spawn(loop, o, [&](int64_t status, int sig) {
    e.done = true;
    e.status = status;
    e.signal = sig;
  });
  REQUIRE(p.ok());
  out.close_write();
  REQUIRE(loop.run_until([&] { return e.done; }, kDeadline));
  CHECK(e.status == 0);
  CHECK(out.read_all() == "hi\n");
}

TEST_CASE("Process pass_fds keeps their order as 3 and 4", "[process]") {
  Loop loop;
  PipeFds a;
  PipeFds b;
  ProcessOptions o = shell("echo first >&3; echo second >&4");
  o.pass_fds = {a.w, b.w};
  Exit e = run(loop, o);
  a.close_write();
  b.close_write();
  CHECK(e.status == 0);
  CHECK(a.read_all() == "first\n");
  CHECK(b.read_all() == "second\n");
}

TEST_CASE("Process pass_fds survive one landing on another's target number", "[process]") {
  // pass_fds[i] = A goes to child fd B, and pass_fds[i + 1] = B goes to B + 1:
  // a naive dup2 loop would overwrite B with A before moving B. The slots
  // before i are filled with /dev/null.
  Loop loop;
  PipeFds a;
  PipeFds b;
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  REQUIRE(null_fd >= 0);
  const int target_a = b.w;
  const int target_b = b.w + 1;
  ProcessOptions o = shell("echo to-a >/proc/self/fd/" + std::to_string(target_a) +
                           "; echo to-b >/proc/self/fd/" + std::to_string(target_b));
  o.pass_fds.assign(static_cast<size_t>(target_a - 3), null_fd);
  o.pass_fds.push_back(a.w);
  o.pass_fds.push_back(b.w);
  Exit e = run(loop, o);
  ::close(null_fd);
  a.close_write();
  b.close_write();
  CHECK(e.status == 0);
  CHECK(a.read_all() == "to-a\n");
  CHECK(b.read_all() == "to-b\n");
}

TEST_CASE("Process stdout_fd and stderr_fd redirect the child's output", "[process]") {
  Loop loop;
  PipeFds out;
  PipeFds err;
  ProcessOptions o = shell("echo to-stdout; echo to-stderr >&2");
  o.stdout_fd = out.w;
  o.stderr_fd = err.w;
  Exit e = run(loop, o);
  out.close_write();
  err.close_write();
  CHECK(e.status == 0);
  CHECK(out.read_all() == "to-stdout\n");
  CHECK(err.read_all() == "to-stderr\n");
}

TEST_CASE("Process standard input is empty", "[process]") {
  Loop loop;
  PipeFds out;
  ProcessOptions o = shell("n=$(cat | wc -c); echo \"read $n\"");
  o.stdout_fd = out.w;
  Exit e = run(loop, o);
  out.close_write();
  CHECK(e.status == 0);
  CHECK(out.read_all() == "read 0\n");
}

TEST_CASE("Process env replaces the environment and cwd sets the directory", "[process]") {
  Loop loop;
  PipeFds out;
  ProcessOptions o = shell("echo \"$PILLARBOX_TEST_VAR|${HOME:-unset}\"; pwd");
  o.env = {"PILLARBOX_TEST_VAR=from parent", "PATH=/usr/bin:/bin"};
  auto dir = std::filesystem::canonical(std::filesystem::temp_directory_path());
  o.cwd = dir.string();
  o.stdout_fd = out.w;
  Exit e = run(loop, o);
  out.close_write();
  CHECK(e.status == 0);
  CHECK(out.read_all() == "from parent|unset\n" + dir.string() + "\n");
}

TEST_CASE("Process uid and gid set the child's identity", "[process]") {
  // As root this drops to nobody (65534); otherwise it "drops" to the
  // current ids, which still exercises the plumbing.
  Loop loop;
  uid_t uid = ::geteuid() == 0 ? 65534 : ::getuid();
  gid_t gid = ::geteuid() == 0 ? 65534 : ::getgid();
  PipeFds out;
  ProcessOptions o = shell("id -u; id -g; id -G");
  o.uid = uid;
  o.gid = gid;
  o.cwd = "/";
  o.stdout_fd = out.w;
  Exit e = run(loop, o);
  out.close_write();
  CHECK(e.status == 0);
  std::string text = out.read_all();
  std::string expected = std::to_string(uid) + "\n" + std::to_string(gid) + "\n";
  REQUIRE(text.size() >= expected.size());
  CHECK(text.substr(0, expected.size()) == expected);
  if (::geteuid() == 0) {
    // Supplementary groups are dropped too: only the primary group remains.
    CHECK(text.substr(expected.size()) == std::to_string(gid) + "\n");
  }
}

TEST_CASE("Process spawning a missing program fails with NotFound", "[process]") {
  Loop loop;
  ProcessOptions o;
  o.file = "/nonexistent/pillarbox-no-such-program";
  bool called = false;
  auto p = Process::spawn(loop, o, [&](int64_t, int) { called = true; });
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == ErrorCode::NotFound);
  CHECK(p.error().message.find("/nonexistent/pillarbox-no-such-program") != std::string::npos);
  for (int i = 0; i < 3; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(called);
}

TEST_CASE("Process destroyed does not kill the child", "[process]") {
  Loop loop;
  int pid = 0;
  bool called = false;
  {
    auto p = Process::spawn(loop, shell("exec sleep 30"), [&](int64_t, int) { called = true; });
    REQUIRE(p.ok());
    pid = p->pid();
  }
  REQUIRE(pid > 0);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(::kill(pid, 0) == 0);
  // Clean up by hand: nobody watches this child any more.
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited == -1 && errno == EINTR);
  CHECK(waited == pid);
  CHECK(WIFSIGNALED(status));
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(called);
}
