// The unprivileged account children and PostgreSQL run as. Only a master
// started as root switches users; otherwise everything runs as the invoker.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "libcore/base/expected.hpp"

namespace pillarbox::master {

struct ServiceUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  bool switch_to = false;  // true when the master is root and must drop to it
};

// Resolves `name` when running as root; NotFound with the command that
// creates it when the account does not exist, InvalidInput if it is root.
Expected<ServiceUser> resolve_service_user(const std::string& name);

// Whether `uid`/`gid` may execute `path` (every directory searchable, the
// file executable), so a child that cannot start is reported up front.
bool can_execute(const std::string& path, uid_t uid, gid_t gid);

}  // namespace pillarbox::master
