// Access rules as values: one ordered list per service plus the global list,
// shaped like the store's access_rules rows (position = index in `rules`).
// NOGLOBAL is a property of a whole service list, as in VPOP3's text form
// ("add a line saying NOGLOBAL"), not of one rule. No evaluation here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libcore/access/network.hpp"
#include "libcore/access/service.hpp"
#include "libcore/base/expected.hpp"

namespace pillarbox::access {

enum class Action { Allow, Deny };

std::string_view to_string(Action action);           // "allow", "deny"
Expected<Action> parse_action(std::string_view text);  // case-insensitive

struct Rule {
  Action action = Action::Deny;
  Network network;                 // default: any
  std::vector<std::string> users;  // ALLOW only; empty = every user
  bool no_auth = false;            // ALLOW only: these hosts need not authenticate (SMTP)
  std::string comment;             // free text, one line

  friend bool operator==(const Rule&, const Rule&) = default;
};

struct RuleSet {
  std::vector<Rule> rules;  // in order; the first match decides
  bool no_global = false;   // service lists only: skip the global list

  friend bool operator==(const RuleSet&, const RuleSet&) = default;
};

// Account names as the store defines them: 1..32 of letters, digits, '.',
// '_', '-'. "noauth" (any case) is refused too: the text form reserves it.
bool valid_user_name(std::string_view name);

// Case-insensitive (ASCII) user name comparison, as logins are matched.
bool same_user(std::string_view a, std::string_view b);

// Service-independent checks of one rule: users and NOAUTH only on ALLOW
// rules, valid user names, a comment without line breaks.
// Failure: InvalidInput with a message naming the problem.
Expected<void> check_rule(const Rule& rule);

// check_rule for every rule ("rule 3: ..."), plus: NOAUTH only where the
// service allows it (allows_no_auth), NOGLOBAL never on the global list.
Expected<void> check_rules(const RuleSet& rules, Service service);

}  // namespace pillarbox::access
