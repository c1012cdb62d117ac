// Settings get/set. JSON is validated by PostgreSQL's own jsonb input (the
// cast raises 22P02, mapped to InvalidInput), so the store needs no JSON library.
#include "libcore/store/settings.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {
namespace {

Expected<void> check_key(std::string_view key) {
  bool ok = !key.empty() && key.size() <= 128;
  for (char c : key) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    return fail(ErrorCode::InvalidInput, "invalid setting name '" + std::string(key) +
                                             "': use letters, digits, '.', '_' or '-'");
  }
  return {};
}

}  // namespace

Expected<std::optional<std::string>> get_setting(pqxx::connection& conn, std::string_view key) {
  return guarded("reading setting " + std::string(key), [&]() -> Expected<std::optional<std::string>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params("SELECT value::text FROM settings WHERE key = $1", std::string(key));
    tx.commit();
    if (r.empty()) return std::optional<std::string>{};
    return std::optional<std::string>{r[0][0].as<std::string>()};
  });
}

Expected<void> set_setting(pqxx::connection& conn, std::string_view key, std::string_view json) {
  if (auto ok = check_key(key); !ok) return ok;
  auto done = guarded("setting " + std::string(key), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    tx.exec_params0(
        "INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        std::string(key), std::string(json));
    tx.commit();
    return {};
  });
  if (!done && done.error().code == ErrorCode::InvalidInput) {
    return fail(ErrorCode::InvalidInput, "setting " + std::string(key) + ": not valid JSON",
                done.error().context);
  }
  return done;
}

Expected<void> delete_setting(pqxx::connection& conn, std::string_view key) {
  return guarded("deleting setting " + std::string(key), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM settings WHERE key = $1", std::string(key));
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no setting " + std::string(key));
    tx.commit();
    return {};
  });
}

Expected<std::vector<std::pair<std::string, std::string>>> list_settings(pqxx::connection& conn) {
  using List = std::vector<std::pair<std::string, std::string>>;
  return guarded("listing settings", [&]() -> Expected<List> {
    pqxx::read_transaction tx{conn};
    List out;
    for (const auto& row : tx.exec("SELECT key, value::text FROM settings ORDER BY key"))
      out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    tx.commit();
    return out;
  });
}

std::optional<std::string> setting_text(pqxx::transaction_base& tx, std::string_view key) {
  auto r = tx.exec_params("SELECT value #>> '{}' FROM settings WHERE key = $1", std::string(key));
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::string>();
}

}  // namespace pillarbox::store
