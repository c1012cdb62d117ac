// Two-stage evaluation as the seed describes it: "if the address is allowed,
// then VPOP3 will check the global access restrictions on the Services page,
// unless NOGLOBAL is specified in the service specific restrictions".
#include "libcore/access/evaluate.hpp"

#include <algorithm>

namespace pillarbox::access {
namespace {

const Rule* first_match(const RuleSet& set, const IpAddress& client) {
  for (const Rule& rule : set.rules) {
    if (rule.network.contains(client)) return &rule;
  }
  return nullptr;
}

bool listed(const std::vector<std::string>& users, std::string_view user) {
  return std::any_of(users.begin(), users.end(), [&](const std::string& u) { return same_user(u, user); });
}

// Narrows the allowed users by one ALLOW rule's list (empty = no narrowing).
void narrow(std::optional<std::vector<std::string>>& users, const Rule& rule) {
  if (rule.users.empty()) return;
  if (!users) {
    users = rule.users;
    return;
  }
  std::vector<std::string> both;
  for (const auto& u : *users) {
    if (listed(rule.users, u)) both.push_back(u);
  }
  users = std::move(both);
}

}  // namespace

Decision evaluate(const RuleSet& service, const RuleSet& global, const IpAddress& client) {
  Decision d;
  const Rule* own = first_match(service, client);
  if (own != nullptr && own->action == Action::Deny) {
    d.rule = own;
    return d;
  }
  // Allowed by a rule, or by matching none (the legacy default).
  d.allowed = true;
  d.rule = own;
  if (own != nullptr) {
    d.no_auth = own->no_auth;
    narrow(d.users, *own);
  }
  if (service.no_global) return d;

  const Rule* shared = first_match(global, client);
  if (shared == nullptr) return d;
  if (shared->action == Action::Deny) {
    Decision denied;
    denied.rule = shared;
    denied.from_global = true;
    return denied;
  }
  if (d.rule == nullptr) {
    d.rule = shared;
    d.from_global = true;
  }
  narrow(d.users, *shared);
  return d;
}

bool user_allowed(const Decision& decision, std::string_view user) {
  if (!decision.allowed) return false;
  return !decision.users || listed(*decision.users, user);
}

}  // namespace pillarbox::access
