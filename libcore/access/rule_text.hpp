// The one-rule-per-line text form of an access list, for the CLI, import and
// config review. Reads both VPOP3 forms; writes the modern one. Limits: lines
// are checked one by one, the whole text is the caller's to bound.
#pragma once

#include <string>
#include <string_view>

#include "libcore/access/rule.hpp"
#include "libcore/base/expected.hpp"

namespace pillarbox::access {

// One rule per line; blank lines and lines starting with '#' are skipped
// (not kept), text after '#' on a rule line is that rule's comment.
//   ALLOW 192.168.1.0/24                    modern (VPOP3 2.5+ editor terms)
//   ALLOW NOAUTH 10.0.0.0/8   or  ALLOW 10.0.0.0/8 NOAUTH
//   ALLOW any fred bob        # only fred and bob, from anywhere
//   DENY 192.168.1.1
//   NOGLOBAL                  anywhere in the list: skip the global list
//   !192.168.0.1              legacy (VPOP3 2.4): '!' = DENY, else ALLOW
//   192.168.0.0 255.255.0.0   legacy address and mask ("0.0.0.0 0.0.0.0" = any)
//   0.0.0.0 0.0.0.0 fred bob  legacy, users after the address
// Keywords and "any" are case-insensitive; every rule passes check_rule.
// Failure: InvalidInput, "line N: problem".
Expected<RuleSet> parse_rules(std::string_view text);

// One line, no newline: "ALLOW 192.168.1.0/24 NOAUTH fred bob # comment".
std::string format_rule(const Rule& rule);

// NOGLOBAL first when set, then one format_rule line per rule, each ending
// in '\n'. parse_rules(format_rules(s)) == s for every s that parse_rules
// produced, and for any s passing check_rule whose comments are trimmed.
std::string format_rules(const RuleSet& rules);

}  // namespace pillarbox::access
