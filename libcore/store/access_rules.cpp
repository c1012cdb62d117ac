// Access rule lists. Renumbering relies on the (service, position) unique
// constraint being DEFERRABLE, which checks it after each statement instead
// of after each row; SHARE ROW EXCLUSIVE serialises writers, not readers.
#include "libcore/store/access_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kColumns =
    "id, service, position, action, network, users, no_auth, no_global, comment";

AccessRule rule_from(const pqxx::row& r) {
  AccessRule a;
  a.id = r[0].as<int64_t>();
  a.service = r[1].as<std::string>();
  a.position = r[2].as<int>();
  a.action = r[3].as<std::string>() == "deny" ? AccessAction::Deny : AccessAction::Allow;
  a.network = r[4].as<std::string>();
  a.users = from_pg_array(r[5]);
  a.no_auth = r[6].as<bool>();
  a.no_global = r[7].as<bool>();
  a.comment = r[8].as<std::string>();
  return a;
}

Expected<void> check_service(std::string_view service) {
  if (is_access_service(service)) return {};
  return fail(ErrorCode::InvalidInput, "unknown service '" + std::string(service) +
                                           "': use global, smtp, submission, pop3, imap or admin");
}

// The checks that need no database; the network is checked in SQL.
Expected<void> check_rule(const AccessRule& rule) {
  if (auto ok = check_service(rule.service); !ok) return ok;
  for (const auto& u : rule.users)
    if (auto ok = check_name("user", u); !ok) return ok;
  return check_comment(rule.comment);
}

Expected<void> check_network(pqxx::transaction_base& tx, const std::string& network) {
  if (tx.exec_params1("SELECT pillarbox_is_network($1)", network)[0].as<bool>()) return {};
  return fail(ErrorCode::InvalidInput, "invalid network '" + network +
                                           "': use 'any', an address or a CIDR subnet (10.0.0.0/8, fd00::/8)");
}

int lock_and_count(pqxx::transaction_base& tx, const std::string& service) {
  tx.exec0("LOCK TABLE access_rules IN SHARE ROW EXCLUSIVE MODE");
  return tx.exec_params1("SELECT count(*) FROM access_rules WHERE service = $1", service)[0].as<int>();
}

pqxx::row insert_rule(pqxx::transaction_base& tx, const AccessRule& r, int position) {
  return tx.exec_params1(
      "INSERT INTO access_rules (service, position, action, network, users, no_auth, no_global, comment) "
      "VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8) RETURNING " + std::string(kColumns),
      r.service, position, std::string(to_string(r.action)), r.network, to_pg_array(r.users), r.no_auth,
      r.no_global, r.comment);
}

Unexpected bad_position(int position, int count) {
  return fail(ErrorCode::InvalidInput, "position " + std::to_string(position) + " out of range 1-" +
                                           std::to_string(count));
}

}  // namespace

std::string_view to_string(AccessAction action) { return action == AccessAction::Deny ? "deny" : "allow"; }

bool is_access_service(std::string_view s) {
  return s == "global" || s == "smtp" || s == "submission" || s == "pop3" || s == "imap" || s == "admin";
}

Expected<AccessRule> add_access_rule(pqxx::connection& conn, const AccessRule& rule) {
  if (auto ok = check_rule(rule); !ok) return Unexpected{ok.error()};
  return guarded("adding a " + rule.service + " access rule", [&]() -> Expected<AccessRule> {
    pqxx::work tx{conn};
    if (auto ok = check_network(tx, rule.network); !ok) return Unexpected{ok.error()};
    const int count = lock_and_count(tx, rule.service);
    const int position = rule.position == 0 ? count + 1 : rule.position;
    if (position < 1 || position > count + 1) return bad_position(position, count + 1);
    tx.exec_params0("UPDATE access_rules SET position = position + 1 WHERE service = $1 AND position >= $2",
                    rule.service, position);
    AccessRule stored = rule_from(insert_rule(tx, rule, position));
    tx.commit();
    return stored;
  });
}

Expected<void> move_access_rule(pqxx::connection& conn, std::string_view service, int from, int to) {
  if (auto ok = check_service(service); !ok) return ok;
  const std::string s(service);
  return guarded("moving a " + s + " access rule", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    const int count = lock_and_count(tx, s);
    if (from < 1 || from > count) return fail(ErrorCode::NotFound, "no " + s + " access rule at position " + std::to_string(from));
    if (to < 1 || to > count) return bad_position(to, count);
    tx.exec_params0(
        "UPDATE access_rules SET position = CASE WHEN position = $2 THEN $3 "
        "  WHEN $2 < $3 THEN position - 1 ELSE position + 1 END "
        "WHERE service = $1 AND position BETWEEN least($2::int, $3::int) AND greatest($2::int, $3::int)",
        s, from, to);
    tx.commit();
    return {};
  });
}

Expected<void> delete_access_rule(pqxx::connection& conn, std::string_view service, int position) {
  if (auto ok = check_service(service); !ok) return ok;
  const std::string s(service);
  return guarded("deleting a " + s + " access rule", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    lock_and_count(tx, s);
    auto r = tx.exec_params("DELETE FROM access_rules WHERE service = $1 AND position = $2", s, position);
    if (r.affected_rows() == 0)
      return fail(ErrorCode::NotFound, "no " + s + " access rule at position " + std::to_string(position));
    tx.exec_params0("UPDATE access_rules SET position = position - 1 WHERE service = $1 AND position > $2", s,
                    position);
    tx.commit();
    return {};
  });
}

Expected<void> replace_access_rules(pqxx::connection& conn, std::string_view service,
                                    const std::vector<AccessRule>& rules) {
  if (auto ok = check_service(service); !ok) return ok;
  const std::string s(service);
  for (AccessRule r : rules) {
    r.service = s;
    if (auto ok = check_rule(r); !ok) return ok;
  }
  return guarded("replacing the " + s + " access rules", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    lock_and_count(tx, s);
    tx.exec_params0("DELETE FROM access_rules WHERE service = $1", s);
    int position = 0;
    for (AccessRule r : rules) {
      r.service = s;
      if (auto ok = check_network(tx, r.network); !ok) return ok;
      insert_rule(tx, r, ++position);
    }
    tx.commit();
    return {};
  });
}

Expected<std::vector<AccessRule>> list_access_rules(pqxx::connection& conn, std::string_view service) {
  if (!service.empty()) {
    if (auto ok = check_service(service); !ok) return Unexpected{ok.error()};
  }
  return guarded("listing access rules", [&]() -> Expected<std::vector<AccessRule>> {
    pqxx::read_transaction tx{conn};
    std::vector<AccessRule> out;
    for (const auto& r : tx.exec_params("SELECT " + std::string(kColumns) + " FROM access_rules "
                                        "WHERE $1 = '' OR service = $1 ORDER BY service, position",
                                        std::string(service)))
      out.push_back(rule_from(r));
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
