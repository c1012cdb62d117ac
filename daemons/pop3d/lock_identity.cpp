#include "daemons/pop3d/lock_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "libcore/auth/password.hpp"

namespace pillarbox::pop3d {

store::LockHolder this_process(const std::string& node) {
  return store::LockHolder{node, static_cast<int>(::getpid()), auth::generate_password(16)};
}

bool holder_is_dead(const store::LockHolder& holder, const store::LockHolder& me) {
  if (holder.node != me.node) return false;
  // Our own PID with another instance: an earlier process that had it.
  if (holder.pid == me.pid) return holder.instance != me.instance;
  if (holder.pid <= 0) return true;
  if (::kill(holder.pid, 0) != 0 && errno == ESRCH) return true;
  // Alive, but is it still a pop3d? A PID is re-used after a crash.
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(holder.pid) + "/exe", ec);
  if (ec) return false;  // another user's process we cannot inspect: assume alive
  return exe.filename() != "pop3d";
}

}  // namespace pillarbox::pop3d
