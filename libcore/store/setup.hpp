// The first start of a server: what a fresh database gets so that it is usable
// at once (an administrator, access rules for the host's LAN, a local domain).
// Each part is created only when its table has nothing of the kind, and the
// whole is done at most once per database (setting "setup.initialized"), so
// an administrator who later empties a list does not see it refilled.
// Serialised across processes and nodes by an advisory lock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/store/access_rules.hpp"
#include "libcore/route/table.hpp"

namespace pillarbox::store {

struct InitialSetup {
  std::string admin_name = "admin";
  std::string admin_password;  // used only when no administrator exists yet
  std::string local_domain;    // "" or not a valid domain name: none added
  // A local-part mapping "postmaster" -> the administrator, so that the
  // address RFC 5321 requires exists on every local domain.
  // Rules per service (store names), used for each service without rules.
  std::map<std::string, std::vector<AccessRule>> access_rules;
};

struct SetupDone {
  bool performed = false;          // false: the database was set up before
  bool admin_created = false;      // then admin_password is the login
  bool domain_added = false;
  bool postmaster_added = false;
  std::vector<std::string> rules_for;  // services that received rules
};

Expected<SetupDone> initial_setup(pqxx::connection& conn, const InitialSetup& setup);

}  // namespace pillarbox::store
