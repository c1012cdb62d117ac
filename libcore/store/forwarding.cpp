// Forwarding settings: one account_forwarding row per (account, kind), and
// account_size_rules rows by position. Windows are validated here (real
// calendar-ish dates, minutes of a day); the schema keeps only the ranges.
#include "libcore/store/forwarding.hpp"

#include <map>
#include <utility>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/lookup.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

const char* kind_text(ForwardKind kind) { return kind == ForwardKind::Forward ? "forward" : "assistant"; }

Expected<void> check_date(const std::optional<int>& d) {
  if (!d) return {};
  int month = *d / 100 % 100, day = *d % 100;
  if (*d < 10000101 || *d > 99991231 || month < 1 || month > 12 || day < 1 || day > 31)
    return fail(ErrorCode::InvalidInput, "invalid date " + std::to_string(*d) + ": use YYYYMMDD");
  return {};
}

Expected<void> check_minute(const std::optional<int>& m) {
  if (m && (*m < 0 || *m > 1439))
    return fail(ErrorCode::InvalidInput, "invalid time " + std::to_string(*m) + ": minutes 0-1439 after midnight");
  return {};
}

Expected<void> check_addresses(const char* what, const std::vector<std::string>& addresses) {
  for (const auto& a : addresses)
    if (auto ok = check_address(what, a); !ok) return ok;
  return {};
}

Expected<void> check_forwarding(const Forwarding& f, ForwardKind kind) {
  if (auto ok = check_addresses(kind == ForwardKind::Forward ? "forward address" : "assistant address",
                                f.addresses); !ok)
    return ok;
  for (const auto* d : {&f.window.from_date, &f.window.to_date})
    if (auto ok = check_date(*d); !ok) return ok;
  for (const auto* m : {&f.window.from_minute, &f.window.to_minute})
    if (auto ok = check_minute(*m); !ok) return ok;
  return {};
}

Forwarding forwarding_from(const pqxx::row& r, int first) {
  Forwarding f;
  f.addresses = from_pg_array(r[first]);
  f.enabled = r[first + 1].as<bool>();
  f.redirect = r[first + 2].as<bool>();
  f.window.from_date = optional_int32(r[first + 3]);
  f.window.to_date = optional_int32(r[first + 4]);
  f.window.from_minute = optional_int32(r[first + 5]);
  f.window.to_minute = optional_int32(r[first + 6]);
  return f;
}

route::SizeRule size_rule_from(const pqxx::row& r, int first) {
  route::SizeRule s;
  s.at_least = r[first].as<bool>();
  s.kilobytes = r[first + 1].as<int64_t>();
  s.addresses = from_pg_array(r[first + 2]);
  s.redirect = r[first + 3].as<bool>();
  return s;
}

Unexpected no_account(std::string_view name) {
  return fail(ErrorCode::NotFound, "no account '" + std::string(name) + "'");
}

constexpr const char* kForwardColumns =
    "addresses, enabled, redirect, from_date, to_date, from_minute, to_minute";
constexpr const char* kSizeColumns = "at_least, kilobytes, addresses, redirect";

}  // namespace

Expected<Forwarding> get_forwarding(pqxx::connection& conn, std::string_view account, ForwardKind kind) {
  return guarded("reading forwarding of '" + std::string(account) + "'", [&]() -> Expected<Forwarding> {
    pqxx::read_transaction tx{conn};
    auto id = find_account_id(tx, account);
    if (!id) return no_account(account);
    auto r = tx.exec_params(std::string("SELECT ") + kForwardColumns +
                                " FROM account_forwarding WHERE account_id = $1 AND kind = $2",
                            *id, kind_text(kind));
    tx.commit();
    return r.empty() ? Forwarding{} : forwarding_from(r[0], 0);
  });
}

Expected<void> set_forwarding(pqxx::connection& conn, std::string_view account, ForwardKind kind,
                              const Forwarding& f) {
  if (auto ok = check_forwarding(f, kind); !ok) return ok;
  return guarded("setting forwarding of '" + std::string(account) + "'", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_account_id(tx, account);
    if (!id) return no_account(account);
    tx.exec_params0(
        "INSERT INTO account_forwarding (account_id, kind, addresses, enabled, redirect, "
        "  from_date, to_date, from_minute, to_minute) "
        "VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (account_id, kind) DO UPDATE SET addresses = EXCLUDED.addresses, "
        "  enabled = EXCLUDED.enabled, redirect = EXCLUDED.redirect, from_date = EXCLUDED.from_date, "
        "  to_date = EXCLUDED.to_date, from_minute = EXCLUDED.from_minute, to_minute = EXCLUDED.to_minute",
        *id, kind_text(kind), to_pg_array(f.addresses), f.enabled, f.redirect, f.window.from_date,
        f.window.to_date, f.window.from_minute, f.window.to_minute);
    tx.commit();
    return {};
  });
}

Expected<std::vector<route::SizeRule>> get_size_rules(pqxx::connection& conn, std::string_view account) {
  using Rules = std::vector<route::SizeRule>;
  return guarded("reading size rules of '" + std::string(account) + "'", [&]() -> Expected<Rules> {
    pqxx::read_transaction tx{conn};
    auto id = find_account_id(tx, account);
    if (!id) return no_account(account);
    Rules out;
    for (const auto& r : tx.exec_params(std::string("SELECT ") + kSizeColumns +
                                            " FROM account_size_rules WHERE account_id = $1 ORDER BY position",
                                        *id))
      out.push_back(size_rule_from(r, 0));
    tx.commit();
    return out;
  });
}

Expected<void> set_size_rules(pqxx::connection& conn, std::string_view account,
                              const std::vector<route::SizeRule>& rules) {
  for (const auto& rule : rules) {
    if (auto ok = check_addresses("size rule address", rule.addresses); !ok) return ok;
    if (rule.kilobytes < 0) return fail(ErrorCode::InvalidInput, "size rule: kilobytes must not be negative");
  }
  return guarded("setting size rules of '" + std::string(account) + "'", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_account_id(tx, account);
    if (!id) return no_account(account);
    tx.exec_params0("DELETE FROM account_size_rules WHERE account_id = $1", *id);
    int position = 0;
    for (const auto& rule : rules) {
      tx.exec_params0(
          "INSERT INTO account_size_rules (account_id, position, at_least, kilobytes, addresses, redirect) "
          "VALUES ($1, $2, $3, $4, $5::text[], $6)",
          *id, ++position, rule.at_least, rule.kilobytes, to_pg_array(rule.addresses), rule.redirect);
    }
    tx.commit();
    return {};
  });
}

void read_all_forwarding(pqxx::transaction_base& tx, std::vector<route::Account>& accounts) {
  std::map<int64_t, route::Account*> by_id;
  for (auto& a : accounts) by_id[a.id] = &a;
  for (const auto& r : tx.exec(std::string("SELECT account_id, kind, ") + kForwardColumns +
                               " FROM account_forwarding")) {
    auto it = by_id.find(r[0].as<int64_t>());
    if (it == by_id.end()) continue;
    Forwarding f = forwarding_from(r, 2);
    route::Account& a = *it->second;
    if (r[1].as<std::string>() == "forward") {
      a.forward_to = std::move(f.addresses);
      a.forward_enabled = f.enabled;
      a.forward_redirect = f.redirect;
      a.forward_window = f.window;
    } else {
      a.assistants = std::move(f.addresses);
      a.assistants_enabled = f.enabled;
      a.assistant_redirect = f.redirect;
      a.assistant_window = f.window;
    }
  }
  for (const auto& r : tx.exec(std::string("SELECT account_id, ") + kSizeColumns +
                               " FROM account_size_rules ORDER BY account_id, position")) {
    auto it = by_id.find(r[0].as<int64_t>());
    if (it != by_id.end()) it->second->size_rules.push_back(size_rule_from(r, 1));
  }
}

}  // namespace pillarbox::store
