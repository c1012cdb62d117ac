// pillarbox access list|add|del: the IP access rules per service and the
// global list. A new rule is checked by libcore/access (Network::parse,
// check_rules over the whole list it joins) and its exact message printed;
// the store keeps the rows. First match decides, so --position matters.
#include <limits>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/access/rule.hpp"
#include "libcore/access/service.hpp"
#include "libcore/store/access_rules.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json to_json(const store::AccessRule& r) {
  return {{"id", r.id},          {"service", r.service},     {"position", r.position},
          {"action", store::to_string(r.action)},           {"network", r.network},
          {"users", r.users},    {"no_auth", r.no_auth},     {"no_global", r.no_global},
          {"comment", r.comment}};
}

std::string flags(const store::AccessRule& r) {
  std::vector<std::string> out;
  if (r.no_auth) out.emplace_back("noauth");
  if (r.no_global) out.emplace_back("noglobal");
  return or_dash(join(out, ","));
}

// A stored row as libcore/access sees it; NOGLOBAL is per list there.
Expected<access::Rule> to_rule(const store::AccessRule& row) {
  auto network = access::Network::parse(row.network);
  if (!network) return Unexpected{network.error()};
  access::Rule rule;
  rule.action = row.action == store::AccessAction::Deny ? access::Action::Deny : access::Action::Allow;
  rule.network = *network;
  rule.users = row.users;
  rule.no_auth = row.no_auth;
  rule.comment = row.comment;
  return rule;
}

// The service's list as it would be with `added` at its position.
Expected<access::RuleSet> list_with(const std::vector<store::AccessRule>& rows, const store::AccessRule& added) {
  std::vector<store::AccessRule> all = rows;
  std::size_t at = added.position == 0 ? all.size() : static_cast<std::size_t>(added.position - 1);
  all.insert(all.begin() + static_cast<std::ptrdiff_t>(std::min(at, all.size())), added);
  access::RuleSet set;
  for (const auto& row : all) {
    auto rule = to_rule(row);
    if (!rule) return Unexpected{rule.error()};
    set.rules.push_back(*rule);
    set.no_global = set.no_global || row.no_global;
  }
  return set;
}

// The rule the arguments describe, checked as far as no database is needed.
Expected<store::AccessRule> rule_from_args(const Args& args, access::Service& service) {
  auto parsed_service = access::parse_service(args.positional[0]);
  if (!parsed_service) return Unexpected{parsed_service.error()};
  service = *parsed_service;
  auto action = access::parse_action(args.positional[1]);
  if (!action) return Unexpected{action.error()};
  auto network = access::Network::parse(args.positional[2]);
  if (!network) return Unexpected{network.error()};
  store::AccessRule rule;
  rule.service = std::string(access::to_string(service));
  rule.action = *action == access::Action::Deny ? store::AccessAction::Deny : store::AccessAction::Allow;
  rule.network = network->text();
  for (const auto& u : args.values("users")) {
    auto names = split_list(u);
    rule.users.insert(rule.users.end(), names.begin(), names.end());
  }
  rule.no_auth = args.has("no-auth");
  rule.no_global = args.has("no-global");
  rule.comment = args.value_or("comment", "");
  if (auto p = args.value("position")) {
    auto n = parse_number(*p, 1, std::numeric_limits<int>::max());
    if (!n) return fail(ErrorCode::InvalidInput, "invalid position '" + *p + "': use a number from 1");
    rule.position = static_cast<int>(*n);
  }
  return rule;
}

Outcome access_add(Context& ctx, const Args& args) {
  access::Service service{};
  auto rule = rule_from_args(args, service);
  if (!rule) return failed(rule);
  auto db = ctx.db();
  if (!db) return failed(db);
  auto existing = store::list_access_rules(**db, rule->service);
  if (!existing) return failed(existing);
  auto set = list_with(*existing, *rule);
  if (!set) return failed(set);
  if (auto ok = access::check_rules(*set, service); !ok) return failed(ok);
  auto added = store::add_access_rule(**db, *rule);
  if (!added) return failed(added);
  ctx.print(to_json(*added), "added " + added->service + " rule " + std::to_string(added->position) + ": " +
                                 std::string(store::to_string(added->action)) + " " + added->network);
  return Outcome::ok();
}

Outcome access_list(Context& ctx, const Args& args) {
  std::string service;
  if (!args.positional.empty()) {
    auto parsed = access::parse_service(args.positional[0]);
    if (!parsed) return failed(parsed);
    service = std::string(access::to_string(*parsed));
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto rules = store::list_access_rules(**db, service);
  if (!rules) return failed(rules);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"SERVICE", "POS", "ACTION", "NETWORK", "USERS", "FLAGS", "COMMENT"});
  for (const auto& r : *rules) {
    doc.push_back(to_json(r));
    table.add({r.service, std::to_string(r.position), std::string(store::to_string(r.action)), r.network,
               or_dash(join(r.users, ",")), flags(r), r.comment});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

Outcome access_del(Context& ctx, const Args& args) {
  auto service = access::parse_service(args.positional[0]);
  if (!service) return failed(service);
  const std::string& text = args.positional[1];
  auto position = parse_number(text, 1, std::numeric_limits<int>::max());
  if (!position) return Outcome::failed("invalid position '" + text + "': use a number from 1");
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string name(access::to_string(*service));
  auto done = store::delete_access_rule(**db, name, static_cast<int>(*position));
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"service", name}, {"position", *position}}}},
            "deleted " + name + " rule " + std::to_string(*position));
  return Outcome::ok();
}

}  // namespace

std::vector<Command> access_commands() {
  return {
      {"access list", {"[SERVICE]"}, {}, "[SERVICE]",
       "Lists the IP access rules of one service (global, smtp, submission, pop3, imap, admin)\n"
       "or of all, in the order they are checked.",
       access_list},
      {"access add", {"SERVICE", "ACTION", "NETWORK"},
       {{"position", OptionKind::Value}, {"users", OptionKind::Value}, {"no-auth"}, {"no-global"},
        {"comment", OptionKind::Value}},
       "SERVICE allow|deny NETWORK [--position N] [--users a,b] [--no-auth] [--no-global] [--comment TEXT]",
       "Adds a rule at position N (default: last). NETWORK: any, an address or ADDRESS/PREFIX.\n"
       "--users: only these accounts may log in from there. --no-auth (smtp, submission): may relay\n"
       "without authenticating. --no-global: an address this list allows skips the global list.",
       access_add},
      {"access del", {"SERVICE", "POSITION"}, {}, "SERVICE POSITION",
       "Deletes the rule at POSITION; the later ones move up.", access_del},
  };
}

}  // namespace pillarbox::cli
