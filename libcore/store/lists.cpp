// Distribution lists. Member cleaning happens before any SQL so that one bad
// address rejects the whole change; the name clash with accounts is checked
// here and again by the schema's trigger.
#include "libcore/store/lists.hpp"

#include <map>
#include <set>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/lookup.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

Unexpected no_list(std::string_view name) { return fail(ErrorCode::NotFound, "no list " + quoted(name)); }

Expected<std::vector<std::string>> clean_members(const std::vector<std::string>& members) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& m : members) {
    std::string a = trim(m);
    if (a.empty()) continue;
    if (auto ok = check_address("list member", a); !ok) return Unexpected{ok.error()};
    if (seen.insert(to_lower(a)).second) out.push_back(std::move(a));
  }
  return out;
}

void insert_members(pqxx::transaction_base& tx, int64_t list_id, const std::vector<std::string>& members) {
  for (const auto& m : members)
    tx.exec_params0("INSERT INTO list_members (list_id, address) VALUES ($1, $2)", list_id, m);
}

std::vector<ListInfo> select_lists(pqxx::transaction_base& tx, const std::optional<std::string>& name) {
  std::vector<ListInfo> out;
  std::map<int64_t, std::size_t> index;
  for (const auto& r : tx.exec_params("SELECT id, name, comment, allow_internet FROM lists "
                                      "WHERE $1::text IS NULL OR lower(name) = lower($1) ORDER BY lower(name)",
                                      name)) {
    index[r[0].as<int64_t>()] = out.size();
    out.push_back(ListInfo{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                           r[3].as<bool>(), {}});
  }
  for (const auto& r : tx.exec_params("SELECT m.list_id, m.address FROM list_members m JOIN lists l ON l.id = m.list_id "
                                      "WHERE $1::text IS NULL OR lower(l.name) = lower($1) ORDER BY m.list_id, m.id",
                                      name)) {
    auto it = index.find(r[0].as<int64_t>());
    if (it != index.end()) out[it->second].members.push_back(r[1].as<std::string>());
  }
  return out;
}

}  // namespace

Expected<ListInfo> create_list(pqxx::connection& conn, const NewList& l) {
  if (auto ok = check_name("list", l.name); !ok) return Unexpected{ok.error()};
  if (auto ok = check_comment(l.comment); !ok) return Unexpected{ok.error()};
  auto members = clean_members(l.members);
  if (!members) return Unexpected{members.error()};
  return guarded("creating list " + quoted(l.name), [&]() -> Expected<ListInfo> {
    pqxx::work tx{conn};
    if (find_list_id(tx, l.name)) return fail(ErrorCode::AlreadyExists, "list " + quoted(l.name) + " already exists");
    if (find_account_id(tx, l.name))
      return fail(ErrorCode::AlreadyExists, quoted(l.name) + " is already the name of an account");
    auto id = tx.exec_params1("INSERT INTO lists (name, comment, allow_internet) VALUES ($1, $2, $3) RETURNING id",
                              l.name, l.comment, l.allow_internet)[0].as<int64_t>();
    insert_members(tx, id, *members);
    tx.commit();
    return ListInfo{id, l.name, l.comment, l.allow_internet, *members};
  });
}

Expected<ListInfo> get_list(pqxx::connection& conn, std::string_view name) {
  return guarded("reading list " + quoted(name), [&]() -> Expected<ListInfo> {
    SnapshotRead tx{conn};
    auto lists = select_lists(tx, std::string(name));
    tx.commit();
    if (lists.empty()) return no_list(name);
    return lists.front();
  });
}

Expected<std::vector<ListInfo>> list_lists(pqxx::connection& conn) {
  return guarded("listing lists", [&]() -> Expected<std::vector<ListInfo>> {
    SnapshotRead tx{conn};
    auto out = read_lists(tx);
    tx.commit();
    return out;
  });
}

Expected<void> update_list(pqxx::connection& conn, std::string_view name, const ListChanges& c) {
  if (c.comment) {
    if (auto ok = check_comment(*c.comment); !ok) return ok;
  }
  return guarded("changing list " + quoted(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("UPDATE lists SET comment = coalesce($2, comment), "
                            "allow_internet = coalesce($3, allow_internet) WHERE lower(name) = lower($1)",
                            std::string(name), c.comment, c.allow_internet);
    if (r.affected_rows() == 0) return no_list(name);
    tx.commit();
    return {};
  });
}

Expected<void> delete_list(pqxx::connection& conn, std::string_view name) {
  return guarded("deleting list " + quoted(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM lists WHERE lower(name) = lower($1)", std::string(name));
    if (r.affected_rows() == 0) return no_list(name);
    tx.exec_params0("DELETE FROM mappings WHERE lower(target) = lower($1)", std::string(name));
    tx.commit();
    return {};
  });
}

Expected<void> add_list_member(pqxx::connection& conn, std::string_view list, std::string_view address) {
  const std::string a = trim(address);
  if (auto ok = check_address("list member", a); !ok) return ok;
  return guarded("adding " + quoted(a) + " to list " + quoted(list), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_list_id(tx, list);
    if (!id) return no_list(list);
    if (!tx.exec_params("SELECT 1 FROM list_members WHERE list_id = $1 AND lower(address) = lower($2)", *id, a)
             .empty())
      return fail(ErrorCode::AlreadyExists, quoted(a) + " is already a member of list " + quoted(list));
    insert_members(tx, *id, {a});
    tx.commit();
    return {};
  });
}

Expected<void> remove_list_member(pqxx::connection& conn, std::string_view list, std::string_view address) {
  const std::string a = trim(address);
  return guarded("removing " + quoted(a) + " from list " + quoted(list), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_list_id(tx, list);
    if (!id) return no_list(list);
    auto r = tx.exec_params("DELETE FROM list_members WHERE list_id = $1 AND lower(address) = lower($2)", *id, a);
    if (r.affected_rows() == 0)
      return fail(ErrorCode::NotFound, quoted(a) + " is not a member of list " + quoted(list));
    tx.commit();
    return {};
  });
}

Expected<void> set_list_members(pqxx::connection& conn, std::string_view list,
                                const std::vector<std::string>& members) {
  auto cleaned = clean_members(members);
  if (!cleaned) return Unexpected{cleaned.error()};
  return guarded("setting the members of list " + quoted(list), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_list_id(tx, list);
    if (!id) return no_list(list);
    tx.exec_params0("DELETE FROM list_members WHERE list_id = $1", *id);
    insert_members(tx, *id, *cleaned);
    tx.commit();
    return {};
  });
}

std::vector<ListInfo> read_lists(pqxx::transaction_base& tx) { return select_lists(tx, std::nullopt); }

}  // namespace pillarbox::store
