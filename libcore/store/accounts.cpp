// Accounts. Passwords are hashed before the transaction opens, so a row lock
// is never held across the deliberately slow argon2id. The account/list name
// clash is checked here for a clear message and again by the schema's
// pillarbox_check_name_free() trigger for concurrent writers and psql.
#include "libcore/store/accounts.hpp"

#include <charconv>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/auth/password.hpp"
#include "libcore/store/failure.hpp"
#include "libcore/store/lookup.hpp"
#include "libcore/store/mailboxes.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/settings.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kColumns =
    "id, name, admin, enabled, password_hash IS NOT NULL, comment, "
    "extract(epoch FROM expires_at)::bigint, extract(epoch FROM created_at)::bigint";

AccountInfo account_from(const pqxx::row& r) {
  AccountInfo a;
  a.id = r[0].as<int64_t>();
  a.name = r[1].as<std::string>();
  a.admin = r[2].as<bool>();
  a.enabled = r[3].as<bool>();
  a.has_password = r[4].as<bool>();
  a.comment = r[5].as<std::string>();
  a.expires_at = optional_int(r[6]);
  a.created_at = r[7].as<int64_t>();
  return a;
}

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// The password's hash, or InvalidInput when it breaks the rules. Reads the
// minimum length setting in a short transaction of its own.
Expected<std::optional<std::string>> hash_if_valid(pqxx::connection& conn,
                                                   const std::optional<std::string>& password) {
  if (!password) return std::optional<std::string>{};
  std::size_t min_length = auth::kDefaultMinPasswordLength;
  {
    pqxx::read_transaction tx{conn};
    if (auto v = setting_text(tx, setting::kPasswordMinLength)) {
      std::size_t n = 0;  // an unreadable setting keeps the default
      if (std::from_chars(v->data(), v->data() + v->size(), n).ec == std::errc{}) min_length = n;
    }
    tx.commit();
  }
  if (!auth::valid_password(*password, min_length)) {
    return fail(ErrorCode::InvalidInput, "invalid password: use at least " + std::to_string(min_length) +
                                             " characters and no spaces");
  }
  return std::optional<std::string>{auth::hash_password(*password)};
}

Expected<void> check_new_account(const NewAccount& a) {
  if (auto ok = check_name("account", a.name); !ok) return ok;
  return check_comment(a.comment);
}

// A hash to verify against when the account is unknown, so that the answer
// takes as long as for a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = auth::hash_password("pillarbox timing equaliser");
  return hash;
}

}  // namespace

Expected<AccountInfo> create_account(pqxx::connection& conn, const NewAccount& a) {
  if (auto ok = check_new_account(a); !ok) return Unexpected{ok.error()};
  return guarded("creating account " + quoted(a.name), [&]() -> Expected<AccountInfo> {
    auto hash = hash_if_valid(conn, a.password);
    if (!hash) return Unexpected{hash.error()};
    pqxx::work tx{conn};
    if (find_account_id(tx, a.name))
      return fail(ErrorCode::AlreadyExists, "account " + quoted(a.name) + " already exists");
    if (find_list_id(tx, a.name))
      return fail(ErrorCode::AlreadyExists, quoted(a.name) + " is already the name of a list");
    auto row = tx.exec_params1(
        "INSERT INTO accounts (name, password_hash, admin, enabled, comment, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, to_timestamp($6)) RETURNING " + std::string(kColumns),
        a.name, *hash, a.admin, a.enabled, a.comment, a.expires_at);
    AccountInfo info = account_from(row);
    create_default_mailboxes(tx, info.id);
    tx.commit();
    return info;
  });
}

Expected<AccountInfo> get_account(pqxx::connection& conn, std::string_view name) {
  return guarded("reading account " + quoted(name), [&]() -> Expected<AccountInfo> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params("SELECT " + std::string(kColumns) +
                                " FROM accounts WHERE lower(name) = lower($1)",
                            std::string(name));
    tx.commit();
    if (r.empty()) return fail(ErrorCode::NotFound, "no account " + quoted(name));
    return account_from(r[0]);
  });
}

Expected<std::vector<AccountInfo>> list_accounts(pqxx::connection& conn) {
  return guarded("listing accounts", [&]() -> Expected<std::vector<AccountInfo>> {
    pqxx::read_transaction tx{conn};
    std::vector<AccountInfo> out;
    for (const auto& r : tx.exec("SELECT " + std::string(kColumns) + " FROM accounts ORDER BY lower(name)"))
      out.push_back(account_from(r));
    tx.commit();
    return out;
  });
}

Expected<void> update_account(pqxx::connection& conn, std::string_view name, const AccountChanges& c) {
  if (c.comment) {
    if (auto ok = check_comment(*c.comment); !ok) return ok;
  }
  const bool set_expiry = c.expires_at.has_value();
  const std::optional<int64_t> expiry = set_expiry ? *c.expires_at : std::nullopt;
  return guarded("changing account " + quoted(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "UPDATE accounts SET admin = coalesce($2, admin), enabled = coalesce($3, enabled), "
        "comment = coalesce($4, comment), "
        "expires_at = CASE WHEN $5 THEN to_timestamp($6) ELSE expires_at END "
        "WHERE lower(name) = lower($1)",
        std::string(name), c.admin, c.enabled, c.comment, set_expiry, expiry);
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no account " + quoted(name));
    tx.commit();
    return {};
  });
}

Expected<void> set_password(pqxx::connection& conn, std::string_view name,
                            const std::optional<std::string>& password) {
  return guarded("setting the password of " + quoted(name), [&]() -> Expected<void> {
    auto hash = hash_if_valid(conn, password);
    if (!hash) return Unexpected{hash.error()};
    pqxx::work tx{conn};
    auto r = tx.exec_params("UPDATE accounts SET password_hash = $2 WHERE lower(name) = lower($1)",
                            std::string(name), *hash);
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no account " + quoted(name));
    tx.commit();
    return {};
  });
}

Expected<void> delete_account(pqxx::connection& conn, std::string_view name, bool delete_messages) {
  return guarded("deleting account " + quoted(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto id = find_account_id(tx, name);
    if (!id) return fail(ErrorCode::NotFound, "no account " + quoted(name));
    auto count = tx.exec_params1(
        "SELECT count(*) FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id "
        "WHERE m.account_id = $1", *id)[0].as<int64_t>();
    if (count > 0 && !delete_messages) {
      return fail(ErrorCode::InUse, "account " + quoted(name) + " holds " + std::to_string(count) +
                                        " messages: confirm to delete them too");
    }
    tx.exec_params0("DELETE FROM mappings WHERE lower(target) = lower($1)", std::string(name));
    tx.exec_params0("DELETE FROM accounts WHERE id = $1", *id);
    tx.commit();
    return {};
  });
}

Expected<int64_t> verify_login(pqxx::connection& conn, std::string_view name, std::string_view password) {
  auto denied = [&](const char* why) {
    return fail(ErrorCode::PermissionDenied, "invalid login or password", std::string(why) + ": " + quoted(name));
  };
  return guarded("checking the login of " + quoted(name), [&]() -> Expected<int64_t> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT id, password_hash, enabled, expires_at IS NOT NULL AND expires_at <= now() "
        "FROM accounts WHERE lower(name) = lower($1)",
        std::string(name));
    tx.commit();
    if (r.empty() || r[0][1].is_null()) {
      (void)auth::verify_password(dummy_hash(), password);
      return denied(r.empty() ? "unknown account" : "account without password");
    }
    if (!auth::verify_password(r[0][1].as<std::string>(), password)) return denied("wrong password");
    if (!r[0][2].as<bool>()) return denied("account disabled");
    if (r[0][3].as<bool>()) return denied("account expired");
    return r[0][0].as<int64_t>();
  });
}

}  // namespace pillarbox::store
