// IP access rules: an ordered list per service plus the global list, kept
// gap-free at positions 1..n. Rows only: libcore/access turns them into rule
// sets and decides. Each function opens and commits its own transaction
// (database worker threads only); writers of one table serialise on a lock.
// Errors: InvalidInput (service, network, user, comment, position),
// NotFound (no rule at a position), Unavailable/Internal (database).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

enum class AccessAction { Allow, Deny };

std::string_view to_string(AccessAction action);  // "allow", "deny"

struct AccessRule {
  int64_t id = 0;
  std::string service;             // global, smtp, submission, pop3, imap, admin
  int position = 0;                // 1-based within the service
  AccessAction action = AccessAction::Allow;
  std::string network;             // "any", a single host, or a CIDR subnet (IPv4/IPv6)
  std::vector<std::string> users;  // account names; empty: everyone
  bool no_auth = false;            // SMTP: may relay without authenticating
  bool no_global = false;          // allowed here: skip the global list
  std::string comment;             // at most 80 characters
};

bool is_access_service(std::string_view service);

// Inserts `rule` at rule.position (1..n+1; the rules from there move down
// one), or appends it when rule.position is 0. Returns the stored rule.
Expected<AccessRule> add_access_rule(pqxx::connection& conn, const AccessRule& rule);

// Moves the rule at `from` to `to`; the rules between close up.
Expected<void> move_access_rule(pqxx::connection& conn, std::string_view service, int from, int to);

// Deletes the rule at `position`; the later ones move up one.
Expected<void> delete_access_rule(pqxx::connection& conn, std::string_view service, int position);

// Replaces the whole list of `service` (positions taken from the order).
Expected<void> replace_access_rules(pqxx::connection& conn, std::string_view service,
                                    const std::vector<AccessRule>& rules);

// The rules of `service` by position; an empty `service` gives every list,
// by service then position.
Expected<std::vector<AccessRule>> list_access_rules(pqxx::connection& conn, std::string_view service);

}  // namespace pillarbox::store
