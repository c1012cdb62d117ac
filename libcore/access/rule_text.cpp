// Parsing and printing of the text form. NOAUTH is a reserved word wherever
// users may appear, so "ALLOW net NOAUTH" can never be read as a rule for a
// user called NOAUTH (valid_user_name refuses that name for the same reason).
#include "libcore/access/rule_text.hpp"

#include <vector>

namespace pillarbox::access {
namespace {

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }  // '\r': CRLF files

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && blank(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !blank(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// NOAUTH and user names after the network, in any order.
void read_tail(Rule& rule, const std::vector<std::string_view>& w, size_t from) {
  for (size_t i = from; i < w.size(); ++i) {
    if (same_user(w[i], "noauth")) rule.no_auth = true;
    else rule.users.emplace_back(w[i]);
  }
}

// ALLOW|DENY [NOAUTH] NETWORK [NOAUTH] [USER...]
Expected<Rule> modern_rule(const std::vector<std::string_view>& w) {
  Rule rule;
  rule.action = *parse_action(w[0]);
  size_t at = 1;
  if (at < w.size() && same_user(w[at], "noauth")) {
    rule.no_auth = true;
    ++at;
  }
  if (at >= w.size()) {
    return fail(ErrorCode::InvalidInput, "missing network after " + std::string(w[0]) +
                                             " (expected \"any\", an address or ADDRESS/PREFIX)");
  }
  auto network = Network::parse(w[at]);
  if (!network) return Unexpected{network.error()};
  rule.network = *network;
  read_tail(rule, w, at + 1);
  return rule;
}

// [!]ADDRESS [MASK] [USER...]; a second word that is an IPv4 address is the mask.
Expected<Rule> legacy_rule(std::vector<std::string_view> w) {
  Rule rule;
  rule.action = Action::Allow;
  if (w[0].front() == '!') {
    rule.action = Action::Deny;
    w[0].remove_prefix(1);
    if (w[0].empty()) w.erase(w.begin());
    if (w.empty()) return fail(ErrorCode::InvalidInput, "missing address after '!'");
  }
  size_t at = 1;
  auto network = Network::parse(w[0]);
  if (!network) {
    if (w[0].find_first_of("0123456789:") == std::string_view::npos) {
      return fail(ErrorCode::InvalidInput, "unknown keyword \"" + std::string(w[0]) +
                                               "\" (expected ALLOW, DENY, NOGLOBAL or an address)");
    }
    return Unexpected{network.error()};
  }
  if (w.size() > 1 && network->is_host() && !network->address().v6()) {
    auto mask = IpAddress::parse(w[1]);
    if (mask && !mask->v6()) {
      ++at;
      if (network->address().unspecified() && mask->unspecified()) {
        // VPOP3 2.4 predates IPv6 here: "every address" is what it meant.
        network = Network::any();
      } else {
        network = Network::from_mask(network->address(), *mask);
        if (!network) return Unexpected{network.error()};
      }
    }
  }
  rule.network = *network;
  read_tail(rule, w, at);
  return rule;
}

Expected<void> read_line(RuleSet& set, std::string_view line) {
  std::string_view comment;
  auto hash = line.find('#');
  if (hash != std::string_view::npos) {
    comment = trim(line.substr(hash + 1));
    line = line.substr(0, hash);
  }
  auto w = words(line);
  if (w.empty()) return {};  // blank or comment-only
  if (same_user(w[0], "noglobal")) {
    if (w.size() > 1) return fail(ErrorCode::InvalidInput, "NOGLOBAL stands alone on its line");
    set.no_global = true;
    return {};
  }
  bool modern = same_user(w[0], "allow") || same_user(w[0], "deny");
  auto rule = modern ? modern_rule(w) : legacy_rule(w);
  if (!rule) return Unexpected{rule.error()};
  rule->comment = std::string(comment);
  auto ok = check_rule(*rule);
  if (!ok) return ok;
  set.rules.push_back(std::move(*rule));
  return {};
}

}  // namespace

Expected<RuleSet> parse_rules(std::string_view text) {
  RuleSet set;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    auto ok = read_line(set, line);
    if (!ok) return fail(ErrorCode::InvalidInput, "line " + std::to_string(number) + ": " + ok.error().message);
  }
  return set;
}

std::string format_rule(const Rule& rule) {
  std::string out = rule.action == Action::Allow ? "ALLOW " : "DENY ";
  out += rule.network.text();
  if (rule.no_auth) out += " NOAUTH";
  for (const auto& user : rule.users) {
    out += ' ';
    out += user;
  }
  if (!rule.comment.empty()) {
    out += " # ";
    for (char c : rule.comment) out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string format_rules(const RuleSet& rules) {
  std::string out = rules.no_global ? "NOGLOBAL\n" : "";
  for (const auto& rule : rules.rules) {
    out += format_rule(rule);
    out += '\n';
  }
  return out;
}

}  // namespace pillarbox::access
