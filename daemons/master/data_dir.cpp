// Data directory preparation and the single-master lock (flock: released by
// the kernel when the holder dies, so a crash never leaves a stale lock).
#include "daemons/master/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace pillarbox::master {

Expected<void> make_dirs(const std::string& path, mode_t mode) {
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), pos == std::string::npos ? mode : 0755) != 0 && errno != EEXIST)
      return fail(ErrorCode::PermissionDenied, "create directory " + partial + ": " + std::strerror(errno));
  }
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(ErrorCode::InvalidInput, path + " is not a directory");
  return {};
}

Expected<void> prepare(const DataDir& dir, std::optional<std::pair<uid_t, gid_t>> owner) {
  if (auto r = make_dirs(dir.root, 0755); !r) return r;
  if (auto r = make_dirs(dir.run(), 0750); !r) return r;
  if (owner) {
    // The root stays ours; the service user needs to traverse it and to own run/.
    if (::chmod(dir.root.c_str(), 0755) != 0 ||
        ::chown(dir.run().c_str(), owner->first, owner->second) != 0)
      return fail(ErrorCode::PermissionDenied, "hand " + dir.run() + " to the service user: " + std::strerror(errno));
  }
  return {};
}

Expected<UniqueFd> lock(const DataDir& dir) {
  UniqueFd fd(::open(dir.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid())
    return fail(ErrorCode::PermissionDenied, "open " + dir.lock_file() + ": " + std::strerror(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return fail(ErrorCode::InUse, "data directory " + dir.root + " is in use by another pillarboxd (pid " + pid + ")");
  }
  std::string me = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), me.data(), me.size(), 0) < 0)
    return fail(ErrorCode::PermissionDenied, "write " + dir.lock_file() + ": " + std::strerror(errno));
  return fd;
}

}  // namespace pillarbox::master
