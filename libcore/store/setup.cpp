// First-start set-up. The advisory lock is held by the session (not one
// transaction) because each step below commits on its own.
#include "libcore/store/setup.hpp"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "libcore/store/accounts.hpp"
#include "libcore/store/domains.hpp"
#include "libcore/store/failure.hpp"
#include "libcore/store/mappings.hpp"
#include "libcore/store/settings.hpp"

namespace pillarbox::store {
namespace {

constexpr std::string_view kInitialized = "setup.initialized";
constexpr long long kLockKey = 0x70696c6c6172;  // "pillar"

class SetupLock {
 public:
  explicit SetupLock(pqxx::connection& conn) : conn_(conn) {
    pqxx::nontransaction tx{conn_};
    tx.exec_params("SELECT pg_advisory_lock($1)", kLockKey);
  }
  ~SetupLock() {
    try {
      pqxx::nontransaction tx{conn_};
      tx.exec_params("SELECT pg_advisory_unlock($1)", kLockKey);
    } catch (const std::exception&) {
      // A broken connection releases session locks by itself.
    }
  }
  SetupLock(const SetupLock&) = delete;
  SetupLock& operator=(const SetupLock&) = delete;

 private:
  pqxx::connection& conn_;
};

Expected<bool> any_admin(pqxx::connection& conn) {
  return guarded("looking for an administrator", [&]() -> Expected<bool> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec("SELECT EXISTS (SELECT 1 FROM accounts WHERE admin)");
    tx.commit();
    return r[0][0].as<bool>();
  });
}

}  // namespace

Expected<SetupDone> initial_setup(pqxx::connection& conn, const InitialSetup& setup) {
  auto locked = guarded("taking the set-up lock", [&]() -> Expected<std::shared_ptr<SetupLock>> {
    return std::make_shared<SetupLock>(conn);
  });
  if (!locked) return Unexpected{locked.error()};

  SetupDone done;
  auto marked = get_setting(conn, kInitialized);
  if (!marked) return Unexpected{marked.error()};
  if (*marked) return done;
  done.performed = true;

  auto admin = any_admin(conn);
  if (!admin) return Unexpected{admin.error()};
  if (!*admin) {
    NewAccount a;
    a.name = setup.admin_name;
    a.password = setup.admin_password;
    a.admin = true;
    a.comment = "administrator created at first start";
    auto created = create_account(conn, a);
    if (!created) return Unexpected{created.error()};
    done.admin_created = true;
  }

  if (!setup.local_domain.empty()) {
    auto domains = list_domains(conn);
    if (!domains) return Unexpected{domains.error()};
    if (domains->empty()) {
      auto added = add_domain(conn, setup.local_domain, DomainKind::Local, "added at first start");
      if (added) done.domain_added = true;
      else if (added.error().code != ErrorCode::InvalidInput) return Unexpected{added.error()};
    }
  }

  auto mappings = list_mappings(conn);
  if (!mappings) return Unexpected{mappings.error()};
  bool has_postmaster = false;
  for (const auto& m : *mappings) has_postmaster = has_postmaster || m.pattern == "postmaster";
  if (!has_postmaster) {
    route::Mapping m;
    m.pattern = "postmaster";
    m.target = setup.admin_name;
    m.comment = "RFC 5321: postmaster must exist on every domain";
    auto added = add_mapping(conn, m);
    if (!added) return Unexpected{added.error()};
    done.postmaster_added = true;
  }

  for (const auto& [service, rules] : setup.access_rules) {
    auto existing = list_access_rules(conn, service);
    if (!existing) return Unexpected{existing.error()};
    if (!existing->empty() || rules.empty()) continue;
    if (auto r = replace_access_rules(conn, service, rules); !r) return Unexpected{r.error()};
    done.rules_for.push_back(service);
  }

  if (auto r = set_setting(conn, kInitialized, "true"); !r) return Unexpected{r.error()};
  return done;
}

}  // namespace pillarbox::store
