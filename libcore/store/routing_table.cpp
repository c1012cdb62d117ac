// The routing table is assembled from each area's read_* helper inside one
// snapshot, so a concurrent edit is seen either wholly or not at all.
#include "libcore/store/routing_table.hpp"

#include <pqxx/result>

#include "libcore/store/domains.hpp"
#include "libcore/store/failure.hpp"
#include "libcore/store/forwarding.hpp"
#include "libcore/store/lists.hpp"
#include "libcore/store/mappings.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/settings.hpp"

namespace pillarbox::store {
namespace {

std::vector<route::Account> read_accounts(pqxx::transaction_base& tx) {
  std::vector<route::Account> out;
  for (const auto& r : tx.exec("SELECT id, name, enabled AND (expires_at IS NULL OR expires_at > now()) "
                               "FROM accounts ORDER BY id")) {
    route::Account a;
    a.id = r[0].as<int64_t>();
    a.name = r[1].as<std::string>();
    a.enabled = r[2].as<bool>();
    out.push_back(std::move(a));
  }
  read_all_forwarding(tx, out);
  return out;
}

bool setting_true(pqxx::transaction_base& tx, std::string_view key) {
  auto v = setting_text(tx, key);
  return v && *v == "true";
}

}  // namespace

Expected<route::Table> load_routing_table(pqxx::connection& conn) {
  return guarded("loading the routing table", [&]() -> Expected<route::Table> {
    SnapshotRead tx{conn};
    route::Table t;
    for (auto& d : read_domains(tx))
      (d.kind == DomainKind::Local ? t.local_domains : t.accepted_domains).push_back(std::move(d.name));
    t.accounts = read_accounts(tx);
    t.mappings = read_mappings(tx);
    for (auto& l : read_lists(tx))
      t.lists.push_back(route::List{l.id, std::move(l.name), std::move(l.members), l.allow_internet});
    t.catch_all_account = setting_text(tx, setting::kCatchAllAccount).value_or("");
    t.disable_default_smtp_mappings = setting_true(tx, setting::kDisableDefaultSmtpMappings);
    t.disable_default_collector_mappings = setting_true(tx, setting::kDisableDefaultCollectorMappings);
    tx.commit();
    return t;
  });
}

}  // namespace pillarbox::store
