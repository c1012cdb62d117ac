// Directory loading. The snapshot is built entirely on the worker thread
// (regexes compiled there too) and handed to the loop whole.
#include "libcore/directory/directory.hpp"

#include <nlohmann/json.hpp>

#include <optional>

#include "libcore/base/log.hpp"
#include "libcore/store/access_rules.hpp"
#include "libcore/store/routing_table.hpp"
#include "libcore/store/outgoing_routes.hpp"
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

// Every setting a snapshot carries: its key and where it goes.
struct BoolSetting {
  std::string_view key;
  bool Settings::*field;
};
struct SizeSetting {
  std::string_view key;
  std::uint64_t Settings::*field;
};
constexpr BoolSetting kBoolSettings[] = {
    {setting::kSmtpRequireAuth, &Settings::smtp_require_auth},
    {setting::kSmtpLocalException, &Settings::smtp_local_exception},
    {setting::kPop3RequireApop, &Settings::pop3_require_apop},
};
constexpr SizeSetting kSizeSettings[] = {
    {setting::kSmtpMaxMessageSize, &Settings::smtp_max_message_size},
    {setting::kSmtpMaxConnections, &Settings::smtp_max_connections},
    {setting::kSmtpMaxPerAddress, &Settings::smtp_max_per_address},
    {setting::kMaxConnections, &Settings::max_connections},
    {setting::kMaxPerAddress, &Settings::max_per_address},
    {setting::kImapMaxPerAccount, &Settings::imap_max_per_account},
    {setting::kSenderRetryInterval, &Settings::sender_retry_interval},
    {setting::kSenderMaxAge, &Settings::sender_max_age},
    {setting::kSenderDelayWarning, &Settings::sender_delay_warning},
    {setting::kSenderMaxConnections, &Settings::sender_max_connections},
    {setting::kSenderMaxPerDestination, &Settings::sender_max_per_destination},
    {setting::kSenderKeepFinished, &Settings::sender_keep_finished},
    {setting::kSenderMxPort, &Settings::sender_mx_port},
};

Expected<Settings> load_settings(pqxx::connection& conn) {
  Settings s;
  for (const auto& b : kBoolSettings) {
    auto value = bool_setting(conn, b.key, s.*b.field);
    if (!value) return Unexpected{value.error()};
    s.*b.field = *value;
  }
  for (const auto& n : kSizeSettings) {
    auto value = size_setting(conn, n.key, s.*n.field);
    if (!value) return Unexpected{value.error()};
    s.*n.field = *value;
  }
  auto dns = store::get_setting(conn, setting::kSenderDnsServers);
  if (!dns) return Unexpected{dns.error()};
  if (*dns) {
    // Stored as JSON: a string "a,b" or an array of strings.
    auto j = nlohmann::json::parse(**dns, nullptr, false);
    if (j.is_string()) {
      s.sender_dns_servers = j.get<std::string>();
    } else if (j.is_array()) {
      for (const auto& item : j) {
        if (!item.is_string()) continue;
        if (!s.sender_dns_servers.empty()) s.sender_dns_servers += ',';
        s.sender_dns_servers += item.get<std::string>();
      }
    } else {
      log::warning("setting {} is not a string or a list of strings; using the system's resolvers",
                   setting::kSenderDnsServers);
    }
  }
  return s;
}

}  // namespace

std::vector<SettingInfo> known_settings() {
  const Settings defaults;
  std::vector<SettingInfo> out;
  for (const auto& b : kBoolSettings)
    out.push_back({b.key, SettingInfo::Type::Bool, defaults.*b.field ? "true" : "false"});
  for (const auto& n : kSizeSettings)
    out.push_back({n.key, SettingInfo::Type::Count, std::to_string(defaults.*n.field)});
  out.push_back({setting::kSenderDnsServers, SettingInfo::Type::Text, "\"\""});
  return out;
}

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
  auto outgoing = store::load_outgoing_routes(conn);
  if (!outgoing) return Unexpected{outgoing.error()};
  return std::shared_ptr<const Snapshot>(
      new Snapshot{std::move(*router), std::move(*rules), *settings, std::move(*outgoing)});
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
