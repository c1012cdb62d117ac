// The data directory: its layout (pg/ for the embedded server, run/ for
// sockets and the lock), its ownership when the master runs as root, and the
// lock that keeps a second master off the same directory.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "libcore/base/expected.hpp"
#include "libcore/base/owner.hpp"

namespace pillarbox::master {

struct DataDir {
  std::string root;  // absolute
  std::string pg() const { return root + "/pg"; }
  std::string run() const { return root + "/run"; }
  std::string bus_socket() const { return run() + "/bus.sock"; }
  std::string lock_file() const { return root + "/pillarboxd.lock"; }
  std::string config_file() const { return root + "/pillarbox.conf"; }
};

// Creates root and run/ (mode 0750) if missing; when `owner` is set (the
// master is root), hands run/ to that user so children and PostgreSQL may
// create sockets there.
Expected<void> prepare(const DataDir& dir, std::optional<std::pair<uid_t, gid_t>> owner);

// Takes the exclusive lock and writes our pid into it. Held for the life of
// the returned descriptor. InUse, naming the other pid, if held elsewhere.
Expected<UniqueFd> lock(const DataDir& dir);

// mkdir -p with mode for the last component.
Expected<void> make_dirs(const std::string& path, mode_t mode);

}  // namespace pillarbox::master
