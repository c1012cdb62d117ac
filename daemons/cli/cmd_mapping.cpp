// pillarbox mapping add|list|del: aliases, pattern -> target (admin guide
// 3.2-3.3). Patterns are stored as written; whether a target exists (an
// account, a list, an address, "remote" or "no-one") is the store's check.
#include <limits>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/store/mappings.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json to_json(const route::Mapping& m) {
  return {{"id", m.id},
          {"pattern", m.pattern},
          {"type", store::to_string(m.type)},
          {"target", m.target},
          {"collector_id", m.collector_id ? nlohmann::json(*m.collector_id) : nlohmann::json(nullptr)},
          {"comment", m.comment}};
}

Outcome mapping_add(Context& ctx, const Args& args) {
  route::Mapping mapping;
  mapping.pattern = args.positional[0];
  mapping.target = args.positional[1];
  mapping.comment = args.value_or("comment", "");
  if (auto type = args.value("type")) {
    auto parsed = store::parse_mapping_type(*type);
    if (!parsed) return Outcome::failed("invalid mapping type '" + *type + "': use always, smtp, pop3 or from");
    mapping.type = *parsed;
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto added = store::add_mapping(**db, mapping);
  if (!added) return failed(added);
  ctx.print(to_json(*added), "added mapping " + std::to_string(added->id) + ": " + added->pattern + " -> " +
                                 added->target + " (" + std::string(store::to_string(added->type)) + ")");
  return Outcome::ok();
}

Outcome mapping_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto mappings = store::list_mappings(**db);
  if (!mappings) return failed(mappings);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"ID", "PATTERN", "TYPE", "TARGET", "COLLECTOR", "COMMENT"});
  for (const auto& m : *mappings) {
    doc.push_back(to_json(m));
    table.add({std::to_string(m.id), m.pattern, std::string(store::to_string(m.type)), m.target,
               m.collector_id ? std::to_string(*m.collector_id) : "-", m.comment});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

Outcome mapping_del(Context& ctx, const Args& args) {
  const std::string& text = args.positional[0];
  auto id = parse_number(text, 1, std::numeric_limits<long long>::max());
  if (!id) return Outcome::failed("invalid mapping id '" + text + "': use the ID that 'pillarbox mapping list' shows");
  auto db = ctx.db();
  if (!db) return failed(db);
  auto done = store::delete_mapping(**db, *id);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"id", *id}}}}, "deleted mapping " + std::to_string(*id));
  return Outcome::ok();
}

}  // namespace

std::vector<Command> mapping_commands() {
  return {
      {"mapping add", {"PATTERN", "TARGET"}, {{"type", OptionKind::Value}, {"comment", OptionKind::Value}},
       "PATTERN TARGET [--type always|smtp|pop3|from] [--comment TEXT]",
       "Adds a mapping. PATTERN: an address, a local part, a wildcard (* ?), ~@domain or\n"
       "/regex/flags. TARGET: an account, a list, an address, 'remote' or 'no-one'.\n"
       "--type: when it applies (default always).",
       mapping_add},
      {"mapping list", {}, {}, "", "Lists the mappings in the order they were added.", mapping_list},
      {"mapping del", {"ID"}, {}, "ID", "Deletes the mapping with this ID (see mapping list).", mapping_del},
  };
}

}  // namespace pillarbox::cli
