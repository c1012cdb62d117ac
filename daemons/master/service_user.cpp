// Service user lookup and the access check for programs run under it.
#include "daemons/master/service_user.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace pillarbox::master {

Expected<ServiceUser> resolve_service_user(const std::string& name) {
  ServiceUser u;
  u.name = name;
  u.uid = ::getuid();
  u.gid = ::getgid();
  if (::geteuid() != 0) return u;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr)
    return fail(ErrorCode::NotFound, "service user '" + name + "' does not exist; create it with: useradd --system --no-create-home --shell /usr/sbin/nologin " + name);
  if (pw.pw_uid == 0)
    return fail(ErrorCode::InvalidInput, "user: '" + name + "' is root; children and PostgreSQL must run unprivileged");
  u.uid = pw.pw_uid;
  u.gid = pw.pw_gid;
  u.switch_to = true;
  return u;
}

namespace {
bool allowed(const struct stat& st, uid_t uid, gid_t gid, mode_t user_bit, mode_t group_bit, mode_t other_bit) {
  if (uid == 0) return true;
  if (st.st_uid == uid) return (st.st_mode & user_bit) != 0;
  if (st.st_gid == gid) return (st.st_mode & group_bit) != 0;
  return (st.st_mode & other_bit) != 0;
}
}  // namespace

bool can_execute(const std::string& path, uid_t uid, gid_t gid) {
  struct stat st{};
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    if (::stat(path.substr(0, pos).c_str(), &st) != 0) return false;
    if (!allowed(st, uid, gid, S_IXUSR, S_IXGRP, S_IXOTH)) return false;
  }
  if (::stat(path.c_str(), &st) != 0) return false;
  return allowed(st, uid, gid, S_IXUSR, S_IXGRP, S_IXOTH);
}

}  // namespace pillarbox::master
