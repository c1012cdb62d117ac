#include "libcore/store/security_events.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"

namespace pillarbox::store {

Expected<void> record_login_failure(pqxx::connection& conn, const LoginFailure& f) {
  return guarded("recording a failed login", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    // The name tried is client input: kept, but bounded.
    tx.exec_params(
        "INSERT INTO security_events (service, address, account, kind, reason) "
        "VALUES ($1, $2::inet, left($3, 128), 'login_failed', $4)",
        f.service, f.address, f.account, f.reason);
    tx.commit();
    return {};
  });
}

}  // namespace pillarbox::store
