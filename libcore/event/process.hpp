// Process: spawns a child program and reports its exit on the loop. Standard
// input is /dev/null, standard output and error are inherited (or given), and the listed
// descriptors become the child's 3, 4, ... in order. Destroying a Process
// does not kill the child; it only stops watching it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/event/handle.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::event {

struct ProcessOptions {
  std::string file;                // path of the program
  std::vector<std::string> args;   // argv[1..]; argv[0] is file
  std::vector<std::string> env;    // "KEY=value"; empty = inherit the parent's
  std::string cwd;                 // empty = the parent's
  std::optional<uid_t> uid;        // set both to drop privileges
  std::optional<gid_t> gid;
  std::vector<int> pass_fds;       // become 3, 4, ...
  int stdout_fd = 1;               // where the child's standard output goes
  int stderr_fd = 2;
};

namespace detail {
struct ProcessState {
  uv_process_t handle{};
  bool closing = false;
  bool exited = false;
  std::function<void(int64_t, int)> on_exit;
};
}  // namespace detail

class Process {
 public:
  using ExitCb = std::function<void(int64_t exit_status, int term_signal)>;
  static Expected<Process> spawn(Loop& loop, const ProcessOptions& options, ExitCb on_exit);

  int pid() const;
  bool running() const { return s_ && !s_->exited; }
  // Sends a signal; NotFound if the child has already gone.
  Expected<void> kill(int signum);

 private:
  Process() = default;
  detail::Owner<detail::ProcessState> s_;
};

}  // namespace pillarbox::event
