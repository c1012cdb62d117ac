#include "daemons/master/first_start.hpp"

#include "libcore/access/lan_info.hpp"
#include "libcore/access/service.hpp"
#include "libcore/auth/password.hpp"
#include "libcore/base/log.hpp"

namespace pillarbox::master {
namespace {

std::vector<store::AccessRule> rows(const access::RuleSet& set) {
  std::vector<store::AccessRule> out;
  for (const auto& rule : set.rules) {
    store::AccessRule row;
    row.action = rule.action == access::Action::Allow ? store::AccessAction::Allow : store::AccessAction::Deny;
    row.network = rule.network.text();
    row.users = rule.users;
    row.no_auth = rule.no_auth;
    row.no_global = set.no_global;
    row.comment = rule.comment;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

store::InitialSetup default_setup(const access::LanInfo& lan, const std::string& hostname) {
  store::InitialSetup setup;
  setup.local_domain = hostname;
  access::RuleSet full = access::default_lan_rules(lan);
  access::RuleSet smtp;
  for (const auto& rule : full.rules)
    if (rule.action == access::Action::Allow) smtp.rules.push_back(rule);
  for (auto service : {access::Service::Pop3, access::Service::Imap, access::Service::Admin})
    setup.access_rules[std::string(access::to_string(service))] = rows(full);
  setup.access_rules[std::string(access::to_string(access::Service::Smtp))] = rows(smtp);
  return setup;
}

Expected<store::SetupDone> first_start(pqxx::connection& conn, const std::string& hostname,
                                       std::string& admin_password) {
  auto lan = access::read_lan_info();
  if (!lan) {
    log::warning("reading the network interfaces: {}; access rules allow loopback only",
                 lan.error().describe());
    lan = access::LanInfo{};
  }
  auto setup = default_setup(*lan, hostname);
  setup.admin_password = auth::generate_password();
  auto done = store::initial_setup(conn, setup);
  if (done && done->admin_created) admin_password = setup.admin_password;
  return done;
}

}  // namespace pillarbox::master
