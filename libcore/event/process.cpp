// Process over uv_spawn. libuv dup2s each passed descriptor into place, so the
// originals may keep FD_CLOEXEC.
#include "libcore/event/process.hpp"

#include "libcore/event/stream.hpp"

namespace pillarbox::event {

Expected<Process> Process::spawn(Loop& loop, const ProcessOptions& o, ExitCb on_exit) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(o.file.c_str()));
  for (auto& a : o.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  std::vector<uv_stdio_container_t> stdio(3 + o.pass_fds.size());
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = o.stdout_fd;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = o.stderr_fd;
  for (size_t i = 0; i < o.pass_fds.size(); ++i) {
    stdio[3 + i].flags = UV_INHERIT_FD;
    stdio[3 + i].data.fd = o.pass_fds[i];
  }

  uv_process_options_t opts{};
  opts.file = o.file.c_str();
  opts.args = argv.data();
  opts.env = o.env.empty() ? nullptr : envp.data();
  opts.cwd = o.cwd.empty() ? nullptr : o.cwd.c_str();
  opts.stdio = stdio.data();
  opts.stdio_count = static_cast<int>(stdio.size());
  if (o.uid) {
    opts.flags |= UV_PROCESS_SETUID;
    opts.uid = *o.uid;
  }
  if (o.gid) {
    opts.flags |= UV_PROCESS_SETGID;
    opts.gid = *o.gid;
  }
  opts.exit_cb = [](uv_process_t* h, int64_t status, int sig) {
    auto* s = static_cast<detail::ProcessState*>(h->data);
    s->exited = true;
    if (!s->closing && s->on_exit) s->on_exit(status, sig);
  };

  Process p;
  p.s_ = detail::Owner<detail::ProcessState>(new detail::ProcessState);
  p.s_->on_exit = std::move(on_exit);
  p.s_->handle.data = p.s_.get();
  int rc = uv_spawn(loop.get(), &p.s_->handle, &opts);
  if (rc != 0) {
    // uv_spawn initialises the handle even on failure; it must still be closed.
    p.s_->exited = true;
    return fail(rc == UV_ENOENT ? ErrorCode::NotFound
                : rc == UV_EACCES || rc == UV_EPERM ? ErrorCode::PermissionDenied
                                                    : ErrorCode::Unavailable,
                "spawn " + o.file + ": " + uv_error_text(rc));
  }
  return p;
}

int Process::pid() const { return s_ ? s_->handle.pid : 0; }

Expected<void> Process::kill(int signum) {
  if (!running()) return fail(ErrorCode::NotFound, "process has exited");
  return uv_check(uv_process_kill(&s_->handle, signum), "kill");
}

}  // namespace pillarbox::event
