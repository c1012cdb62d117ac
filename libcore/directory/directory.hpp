// Directory: the in-memory view of the configuration tables a daemon needs on
// every connection — the router (domains, accounts, mappings, lists,
// forwards), the IP access rules per service, and the settings that shape
// SMTP policy. Built on an executor thread from the store, published as an
// immutable snapshot, and rebuilt on config.changed; sessions keep the
// snapshot they started with. Loop thread only (except the build itself).
#pragma once

#include <chrono>
#include <map>
#include <memory>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/access/evaluate.hpp"
#include "libcore/access/rule.hpp"
#include "libcore/access/service.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/route/outgoing_route.hpp"
#include "libcore/route/router.hpp"

namespace pillarbox::directory {

namespace setting {
inline constexpr std::string_view kSmtpRequireAuth = "smtp.require_auth";                        // bool
inline constexpr std::string_view kSmtpLocalException = "smtp.require_auth_local_exception";     // bool
inline constexpr std::string_view kSmtpMaxMessageSize = "smtp.max_message_size";                // octets
inline constexpr std::string_view kSmtpMaxConnections = "smtp.max_connections";                  // per smtpd
inline constexpr std::string_view kSmtpMaxPerAddress = "smtp.max_connections_per_address";       // per smtpd
inline constexpr std::string_view kPop3RequireApop = "pop3.require_apop";                        // bool
inline constexpr std::string_view kMaxConnections = "connections.max";                           // per daemon
inline constexpr std::string_view kMaxPerAddress = "connections.max_per_address";                // per daemon
inline constexpr std::string_view kImapMaxPerAccount = "imap.max_connections_per_account";       // per imapd
inline constexpr std::string_view kSenderRetryInterval = "sender.retry_interval";                // seconds
inline constexpr std::string_view kSenderMaxAge = "sender.max_age";                              // seconds
inline constexpr std::string_view kSenderDelayWarning = "sender.delay_warning";                  // seconds
inline constexpr std::string_view kSenderMaxConnections = "sender.max_connections";              // per senderd
inline constexpr std::string_view kSenderMaxPerDestination = "sender.max_per_destination";       // per senderd
inline constexpr std::string_view kSenderKeepFinished = "sender.keep_finished";                  // seconds
inline constexpr std::string_view kSenderMxPort = "sender.mx_port";                              // 25
inline constexpr std::string_view kSenderDnsServers = "sender.dns_servers";                      // "ip[:port],..."
}  // namespace setting

struct Settings {
  bool smtp_require_auth = false;                      // "Require SMTP authentication"
  bool smtp_local_exception = true;                    // ...not for incoming mail to local domains
  std::uint64_t smtp_max_message_size = 20ULL << 20;   // SIZE limit, octets ("about 20 MB")
  std::uint64_t smtp_max_connections = 1000;           // sessions at once, beyond: 421
  std::uint64_t smtp_max_per_address = 50;             // sessions at once from one address
  bool pop3_require_apop = false;                      // "Require APOP authentication"
  std::uint64_t max_connections = 1000;                // POP3/IMAP sessions per daemon
  std::uint64_t max_per_address = 50;                  // ... from one address
  std::uint64_t imap_max_per_account = 20;             // IMAP sessions logged in to one account
  std::uint64_t sender_retry_interval = 600;           // first retry after 10 minutes, then doubling to 8x
  std::uint64_t sender_max_age = 4 * 86400;            // give up (and report) after 4 days
  std::uint64_t sender_delay_warning = 4 * 3600;       // tell the sender after 4 hours
  std::uint64_t sender_max_connections = 20;           // outgoing SMTP connections at once
  std::uint64_t sender_max_per_destination = 4;        // ... to one relay route or MX domain
  std::uint64_t sender_keep_finished = 7 * 86400;      // finished queue entries kept for their history
  std::uint64_t sender_mx_port = 25;                   // the port of MX hosts (another only for tests)
  std::string sender_dns_servers;                      // "" = the system's resolvers
};

// Every setting a Snapshot reads, with its type and its default as JSON
// text ("false", "600", "\"\""): for the CLI and the API to check values
// before storing them.
struct SettingInfo {
  enum class Type { Bool, Count, Text };
  std::string_view key;
  Type type = Type::Count;
  std::string fallback;
};
std::vector<SettingInfo> known_settings();

struct Snapshot {
  route::Router router;
  std::map<access::Service, access::RuleSet> rules;
  Settings settings;
  std::vector<route::OutgoingRoute> outgoing;  // enabled routes in order (senderd)

  // The access decision for a client of `service` (global list included).
  access::Decision check(access::Service service, const access::IpAddress& client) const;
};

// Reads everything a Snapshot holds, in one transaction (consistent view).
Expected<std::shared_ptr<const Snapshot>> load_snapshot(pqxx::connection& conn);

class Directory {
 public:
  Directory(event::Loop& loop, db::Executor& db);
  ~Directory();

  // Start-up: loads and waits (running the loop) up to `deadline`.
  Expected<void> load_blocking(std::chrono::milliseconds deadline);
  // Rebuilds in the background; several requests while one runs coalesce
  // into one more run. A failed rebuild keeps the current snapshot.
  void reload();
  std::shared_ptr<const Snapshot> current() const { return current_; }

 private:
  void start_load();

  event::Loop& loop_;
  db::Executor& db_;
  std::shared_ptr<const Snapshot> current_;
  bool loading_ = false;
  bool again_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::directory
