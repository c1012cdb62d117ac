// pillarbox list add|list|show|del and list member add|del: distribution
// lists. Members may be local names or remote addresses; --internet lets
// mail from outside reach the list. Names share the accounts' name space.
#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/store/lists.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json to_json(const store::ListInfo& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"allow_internet", l.allow_internet},
          {"members", l.members},
          {"comment", l.comment}};
}

Outcome list_add(Context& ctx, const Args& args) {
  store::NewList list;
  list.name = args.positional[0];
  list.comment = args.value_or("comment", "");
  list.allow_internet = args.has("internet");
  for (const auto& m : args.values("member")) {
    auto parts = split_list(m);  // --member a,b works as well as --member a b
    list.members.insert(list.members.end(), parts.begin(), parts.end());
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto created = store::create_list(**db, list);
  if (!created) return failed(created);
  ctx.print(to_json(*created), "added list '" + created->name + "' with " + std::to_string(created->members.size()) +
                                   (created->members.size() == 1 ? " member" : " members"));
  return Outcome::ok();
}

Outcome list_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto lists = store::list_lists(**db);
  if (!lists) return failed(lists);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"NAME", "INTERNET", "MEMBERS", "COMMENT"});
  for (const auto& l : *lists) {
    doc.push_back(to_json(l));
    table.add({l.name, yes_no(l.allow_internet), or_dash(join(l.members, ", ")), l.comment});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

Outcome list_show(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto list = store::get_list(**db, args.positional[0]);
  if (!list) return failed(list);
  std::string text = "list      " + list->name + "\ninternet  " + yes_no(list->allow_internet) + "\ncomment   " +
                     or_dash(list->comment) + "\nmembers   " + std::to_string(list->members.size()) + "\n";
  for (const auto& m : list->members) text += "  " + m + "\n";
  ctx.print(to_json(*list), text);
  return Outcome::ok();
}

Outcome list_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string& name = args.positional[0];
  auto done = store::delete_list(**db, name);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"name", name}}}}, "deleted list '" + name + "'");
  return Outcome::ok();
}

Outcome member_add(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string &list = args.positional[0], &address = args.positional[1];
  auto done = store::add_list_member(**db, list, address);
  if (!done) return failed(done);
  ctx.print({{"list", list}, {"added", address}}, "added '" + address + "' to list '" + list + "'");
  return Outcome::ok();
}

Outcome member_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string &list = args.positional[0], &address = args.positional[1];
  auto done = store::remove_list_member(**db, list, address);
  if (!done) return failed(done);
  ctx.print({{"list", list}, {"deleted", address}}, "removed '" + address + "' from list '" + list + "'");
  return Outcome::ok();
}

}  // namespace

std::vector<Command> list_commands() {
  return {
      {"list add", {"NAME"},
       {{"member", OptionKind::List}, {"internet"}, {"comment", OptionKind::Value}},
       "NAME [--member ADDR...] [--internet] [--comment TEXT]",
       "Adds a distribution list. Members: local names or addresses (--member a b, or a,b).\n"
       "--internet: mail from outside may reach the list.",
       list_add},
      {"list list", {}, {}, "", "Lists the distribution lists with their members.", list_list},
      {"list show", {"NAME"}, {}, "NAME", "Shows one list and its members.", list_show},
      {"list del", {"NAME"}, {}, "NAME", "Deletes a list and the mappings that target it.", list_del},
      {"list member add", {"NAME", "ADDR"}, {}, "NAME ADDR", "Adds a member to a list.", member_add},
      {"list member del", {"NAME", "ADDR"}, {}, "NAME ADDR", "Removes a member from a list.", member_del},
  };
}

}  // namespace pillarbox::cli
