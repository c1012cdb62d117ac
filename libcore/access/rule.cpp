// Validation of rules and rule sets. Users on a DENY rule are refused rather
// than ignored: the decision is taken on the address before any user is known,
// so "DENY net fred" could only ever mean "DENY net" and would mislead.
#include "libcore/access/rule.hpp"

namespace pillarbox::access {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view to_string(Action action) { return action == Action::Allow ? "allow" : "deny"; }

Expected<Action> parse_action(std::string_view text) {
  if (same_user(text, "allow")) return Action::Allow;
  if (same_user(text, "deny")) return Action::Deny;
  return fail(ErrorCode::InvalidInput, "unknown action \"" + std::string(text) + "\" (expected ALLOW or DENY)");
}

bool same_user(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || same_user(name, "noauth")) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Expected<void> check_rule(const Rule& rule) {
  if (rule.action == Action::Deny && !rule.users.empty()) {
    return fail(ErrorCode::InvalidInput, "users can only be named on ALLOW rules");
  }
  if (rule.action == Action::Deny && rule.no_auth) {
    return fail(ErrorCode::InvalidInput, "NOAUTH can only be given on ALLOW rules");
  }
  for (const auto& user : rule.users) {
    if (same_user(user, "noauth")) {
      return fail(ErrorCode::InvalidInput, "NOAUTH is a keyword, not a user name");
    }
    if (!valid_user_name(user)) {
      return fail(ErrorCode::InvalidInput,
                  "bad user name \"" + user + "\" (1 to 32 letters, digits, '.', '_' or '-')");
    }
  }
  if (rule.comment.find_first_of("\r\n") != std::string::npos) {
    return fail(ErrorCode::InvalidInput, "a rule comment must be a single line");
  }
  return {};
}

Expected<void> check_rules(const RuleSet& rules, Service service) {
  if (rules.no_global && service == Service::Global) {
    return fail(ErrorCode::InvalidInput, "NOGLOBAL belongs in a service list, not in the global list");
  }
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& rule = rules.rules[i];
    std::string where = "rule " + std::to_string(i + 1) + ": ";
    auto ok = check_rule(rule);
    if (!ok) return fail(ErrorCode::InvalidInput, where + ok.error().message);
    if (rule.no_auth && !allows_no_auth(service)) {
      return fail(ErrorCode::InvalidInput, where + "NOAUTH is only meaningful for smtp and submission, not " +
                                               std::string(to_string(service)));
    }
  }
  return {};
}

}  // namespace pillarbox::access
