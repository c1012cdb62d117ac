// Directory loading. The snapshot is built entirely on the worker thread
// (regexes compiled there too) and handed to the loop whole.
#include "libcore/directory/directory.hpp"

#include <optional>

#include "libcore/base/log.hpp"
#include "libcore/store/access_rules.hpp"
#include "libcore/store/routing_table.hpp"
#include "libcore/store/settings.hpp"

namespace pillarbox::directory {

access::Decision Snapshot::check(access::Service service, const access::IpAddress& client) const {
  static const access::RuleSet empty;
  auto find = [&](access::Service s) -> const access::RuleSet& {
    auto it = rules.find(s);
    return it == rules.end() ? empty : it->second;
  };
  return access::evaluate(find(service), find(access::Service::Global), client);
}

namespace {

// The stored rows as one RuleSet per service (rows come by service, then
// position). NOGLOBAL is stored per row; any row saying it marks the list.
Expected<std::map<access::Service, access::RuleSet>> rule_sets(const std::vector<store::AccessRule>& rows) {
  std::map<access::Service, access::RuleSet> sets;
  for (const auto& row : rows) {
    auto service = access::parse_service(row.service);
    if (!service) return Unexpected{service.error()};
    auto network = access::Network::parse(row.network);
    if (!network) return Unexpected{network.error()};
    access::Rule rule;
    rule.action = row.action == store::AccessAction::Allow ? access::Action::Allow : access::Action::Deny;
    rule.network = *network;
    rule.users = row.users;
    rule.no_auth = row.no_auth;
    rule.comment = row.comment;
    auto& set = sets[*service];
    set.rules.push_back(std::move(rule));
    if (row.no_global) set.no_global = true;
  }
  return sets;
}

Expected<bool> bool_setting(pqxx::connection& conn, std::string_view key, bool fallback) {
  auto value = store::get_setting(conn, key);
  if (!value) return Unexpected{value.error()};
  if (!*value) return fallback;
  if (**value == "true") return true;
  if (**value == "false") return false;
  log::warning("setting {} is not true or false ({}); using {}", key, **value, fallback);
  return fallback;
}

Expected<std::uint64_t> size_setting(pqxx::connection& conn, std::string_view key, std::uint64_t fallback) {
  auto value = store::get_setting(conn, key);
  if (!value) return Unexpected{value.error()};
  if (!*value) return fallback;
  try {
    auto n = std::stoll(**value);
    if (n > 0) return static_cast<std::uint64_t>(n);
  } catch (const std::exception&) {
  }
  log::warning("setting {} is not a positive number ({}); using {}", key, **value, fallback);
  return fallback;
}

Expected<Settings> load_settings(pqxx::connection& conn) {
  Settings s;
  auto require = bool_setting(conn, setting::kSmtpRequireAuth, s.smtp_require_auth);
  if (!require) return Unexpected{require.error()};
  s.smtp_require_auth = *require;
  auto local = bool_setting(conn, setting::kSmtpLocalException, s.smtp_local_exception);
  if (!local) return Unexpected{local.error()};
  s.smtp_local_exception = *local;
  auto size = size_setting(conn, setting::kSmtpMaxMessageSize, s.smtp_max_message_size);
  if (!size) return Unexpected{size.error()};
  s.smtp_max_message_size = *size;
  auto total = size_setting(conn, setting::kSmtpMaxConnections, s.smtp_max_connections);
  if (!total) return Unexpected{total.error()};
  s.smtp_max_connections = *total;
  auto per_address = size_setting(conn, setting::kSmtpMaxPerAddress, s.smtp_max_per_address);
  if (!per_address) return Unexpected{per_address.error()};
  s.smtp_max_per_address = *per_address;
  auto apop = bool_setting(conn, setting::kPop3RequireApop, s.pop3_require_apop);
  if (!apop) return Unexpected{apop.error()};
  s.pop3_require_apop = *apop;
  auto max = size_setting(conn, setting::kMaxConnections, s.max_connections);
  if (!max) return Unexpected{max.error()};
  s.max_connections = *max;
  auto max_here = size_setting(conn, setting::kMaxPerAddress, s.max_per_address);
  if (!max_here) return Unexpected{max_here.error()};
  s.max_per_address = *max_here;
  auto per_account = size_setting(conn, setting::kImapMaxPerAccount, s.imap_max_per_account);
  if (!per_account) return Unexpected{per_account.error()};
  s.imap_max_per_account = *per_account;
  return s;
}

}  // namespace

Expected<std::shared_ptr<const Snapshot>> load_snapshot(pqxx::connection& conn) {
  auto table = store::load_routing_table(conn);
  if (!table) return Unexpected{table.error()};
  auto router = route::Router::build(std::move(*table));
  if (!router) return Unexpected{router.error()};
  auto rows = store::list_access_rules(conn, "");
  if (!rows) return Unexpected{rows.error()};
  auto rules = rule_sets(*rows);
  if (!rules) return Unexpected{rules.error()};
  auto settings = load_settings(conn);
  if (!settings) return Unexpected{settings.error()};
  return std::shared_ptr<const Snapshot>(new Snapshot{std::move(*router), std::move(*rules), *settings});
}

Directory::Directory(event::Loop& loop, db::Executor& db) : loop_(loop), db_(db) {}

Directory::~Directory() { *alive_ = false; }

Expected<void> Directory::load_blocking(std::chrono::milliseconds deadline) {
  std::optional<Expected<std::shared_ptr<const Snapshot>>> result;
  db_.run<std::shared_ptr<const Snapshot>>([](pqxx::connection& c) { return load_snapshot(c); },
                                           [&result](auto r) { result.emplace(std::move(r)); });
  if (!loop_.run_until([&] { return result.has_value(); }, deadline))
    return fail(ErrorCode::Unavailable, "loading the directory timed out");
  if (!*result) return Unexpected{result->error()};
  current_ = std::move(**result);
  return {};
}

void Directory::reload() {
  if (loading_) {
    again_ = true;
    return;
  }
  start_load();
}

void Directory::start_load() {
  loading_ = true;
  again_ = false;
  std::weak_ptr<bool> alive = alive_;
  db_.run<std::shared_ptr<const Snapshot>>(
      [](pqxx::connection& c) { return load_snapshot(c); },
      [this, alive](Expected<std::shared_ptr<const Snapshot>> r) {
        if (alive.expired()) return;
        loading_ = false;
        if (r) {
          current_ = std::move(*r);
          log::info("directory reloaded");
        } else {
          log::error("directory reload failed, keeping the previous one: {}", r.error().describe());
        }
        if (again_) start_load();
      });
}

}  // namespace pillarbox::directory
