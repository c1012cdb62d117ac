// The access decision for one client address: the service list first (first
// match decides), then, if it allowed and did not say NOGLOBAL, the global
// list. Pure and cheap; call it on every accept. No logging, no user lookup.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/access/ip_address.hpp"
#include "libcore/access/rule.hpp"

namespace pillarbox::access {

struct Decision {
  bool allowed = false;
  // A service-list ALLOW rule with NOAUTH decided: this client may use the
  // service (relay, for SMTP) without authenticating. Never set by the global
  // list, never set when denied.
  bool no_auth = false;
  // The rule that decided, for the log: the DENY rule that refused, else the
  // service rule that allowed, else the global rule that allowed; nullptr when
  // no rule matched at all (allowed, as in VPOP3's text form). Points into the
  // RuleSets given to evaluate: valid only as long as they are.
  const Rule* rule = nullptr;
  bool from_global = false;  // `rule` is in the global list
  // Only these users may log in from this address; nullopt = every user. When
  // both lists name users it is the intersection (possibly empty: nobody).
  std::optional<std::vector<std::string>> users;
};

Decision evaluate(const RuleSet& service, const RuleSet& global, const IpAddress& client);

// May USER log in under DECISION? False when the address is denied; user
// names compare case-insensitively. Meaningful only where the service
// authenticates: an unauthenticated SMTP client has no user to check.
bool user_allowed(const Decision& decision, std::string_view user);

}  // namespace pillarbox::access
