// pillarbox domain add|list|del: local domains (mail for them is delivered
// here) and, with --accepted, accepted domains (used by collectors; may hold
// the wildcards * and ?). Rules and messages are libcore/store's.
#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/store/domains.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json to_json(const store::Domain& d) {
  return {{"id", d.id}, {"name", d.name}, {"kind", store::to_string(d.kind)}, {"comment", d.comment}};
}

store::DomainKind kind_of(const Args& args) {
  return args.has("accepted") ? store::DomainKind::Accepted : store::DomainKind::Local;
}

Outcome domain_add(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto added = store::add_domain(**db, args.positional[0], kind_of(args), args.value_or("comment", ""));
  if (!added) return failed(added);
  ctx.print(to_json(*added),
            "added " + std::string(store::to_string(added->kind)) + " domain '" + added->name + "'");
  return Outcome::ok();
}

Outcome domain_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto domains = store::list_domains(**db);
  if (!domains) return failed(domains);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"NAME", "KIND", "COMMENT"});
  for (const auto& d : *domains) {
    doc.push_back(to_json(d));
    table.add({d.name, std::string(store::to_string(d.kind)), d.comment});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

Outcome domain_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string& name = args.positional[0];
  const auto kind = kind_of(args);
  auto done = store::delete_domain(**db, name, kind);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"name", name}, {"kind", store::to_string(kind)}}}},
            "deleted " + std::string(store::to_string(kind)) + " domain '" + name + "'");
  return Outcome::ok();
}

}  // namespace

std::vector<Command> domain_commands() {
  return {
      {"domain add", {"NAME"}, {{"accepted"}, {"comment", OptionKind::Value}}, "NAME [--accepted] [--comment TEXT]",
       "Adds a local domain, or with --accepted an accepted domain (wildcards * and ? allowed).", domain_add},
      {"domain list", {}, {}, "", "Lists the local domains, then the accepted ones.", domain_list},
      {"domain del", {"NAME"}, {{"accepted"}}, "NAME [--accepted]",
       "Deletes a local domain, or with --accepted an accepted domain.", domain_del},
  };
}

}  // namespace pillarbox::cli
