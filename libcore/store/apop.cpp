#include "libcore/store/apop.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {

Expected<void> set_apop_secret(pqxx::connection& conn, std::string_view name, const std::optional<std::string>& sealed) {
  return guarded("setting the APOP secret of '" + std::string(name) + "'", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("UPDATE accounts SET apop_secret = convert_to($2, 'UTF8') WHERE lower(name) = lower($1)", std::string(name),
                            sealed);
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no account '" + std::string(name) + "'");
    tx.commit();
    return {};
  });
}

Expected<ApopAccount> apop_account(pqxx::connection& conn, std::string_view name) {
  return guarded("looking up the APOP login of '" + std::string(name) + "'", [&]() -> Expected<ApopAccount> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params(
        "SELECT id, name, convert_from(apop_secret, 'UTF8'), enabled AND (expires_at IS NULL OR expires_at > now()) "
        "FROM accounts WHERE lower(name) = lower($1)",
        std::string(name));
    tx.commit();
    auto denied = [&](const char* why) {
      return fail(ErrorCode::PermissionDenied, "invalid login or password", std::string(why) + ": '" +
                                                                               std::string(name) + "'");
    };
    if (r.empty()) return denied("unknown account");
    if (r[0][2].is_null()) return denied("APOP not enabled");
    if (!r[0][3].as<bool>()) return denied("account disabled or expired");
    return ApopAccount{r[0][0].as<int64_t>(), r[0][1].as<std::string>(), r[0][2].as<std::string>()};
  });
}

}  // namespace pillarbox::store
