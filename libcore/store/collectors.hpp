// Collectors (tables collectors, collector_status, collector_uidls of
// migration 0009): their configuration with its input rules, collectord's
// claims and run results, and the UIDLs each collector has seen. Not here:
// POP3 itself, routing the fetched mail, sealing passwords (the caller does,
// with crypto::seal). Each function opens and commits its own transaction;
// database worker threads only. Time is Unix seconds, passed in by the
// caller where a run depends on it (an injected clock).
// Errors: InvalidInput (a field, with its rule), NotFound (collector, UIDL),
// AlreadyExists (collector name), InUse (a claim lost), Unavailable/Internal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// The advisory lock namespace of collectord instances (pg_advisory_lock(ns, key)).
inline constexpr int32_t kCollectorLockNamespace = 7103;
inline constexpr std::size_t kMaxCollectorName = 64;
inline constexpr int kMaxCollectorInterval = 10080;  // minutes: one week
inline constexpr int kMaxLeaveDays = 3650;

enum class CollectorTls { None, Stls, Implicit };
enum class CollectorAuth { User, Apop, CramMd5, Plain };
enum class CollectorMode { Headers, Deliver, Forward };
enum class CollectorResult { Ok, Partial, Failed };

std::string_view to_string(CollectorTls tls);        // "none", "stls", "implicit"
std::string_view to_string(CollectorAuth auth);      // "user", "apop", "cram-md5", "plain"
std::string_view to_string(CollectorMode mode);      // "headers", "deliver", "forward"
std::string_view to_string(CollectorResult result);  // "ok", "partial", "failed"
std::optional<CollectorTls> parse_collector_tls(std::string_view text);    // any case
std::optional<CollectorAuth> parse_collector_auth(std::string_view text);  // any case
std::optional<CollectorMode> parse_collector_mode(std::string_view text);  // any case

// What the status view shows; read-only here, written by claims and finish_run.
struct CollectorStatus {
  int64_t next_run_at = 0;
  std::optional<int64_t> last_run_at;  // start of the last finished run
  std::optional<CollectorResult> last_result;
  std::string last_error;
  int fetched = 0;
  std::optional<int32_t> claimed_by;  // the instance running it now
  std::optional<int64_t> claimed_at;
};

struct Collector {
  int64_t id = 0;
  std::string name;
  std::string server;
  int port = 0;  // 0 on create: 110, or 995 with tls Implicit
  CollectorTls tls = CollectorTls::None;
  std::string account;          // the remote account name
  std::string sealed_password;  // crypto::seal output; see "passwords" below
  CollectorAuth auth = CollectorAuth::User;
  int interval_minutes = 15;
  bool enabled = true;
  int64_t max_message_size = 0;  // bytes; 0: no limit
  int leave_days = 0;            // 0: delete from the server once stored
  CollectorMode mode = CollectorMode::Headers;
  // Mode Headers only:
  std::vector<std::string> accepted_domains;  // wildcards * and ?
  std::vector<std::string> header_fields;     // empty: the usual ones
  bool no_default_mappings = false;
  std::string fallback_account;  // "" : none
  // Deliver: an account or list name; Forward: an address; Headers: "".
  std::string target;
  std::string envelope_command;  // e.g. "*ENV"; "": none
  CollectorStatus status;        // ignored by create and update
};

// Passwords: create and update take a sealed password; get, list, create
// and update return Collector with sealed_password empty, so the CLI and the
// API cannot show it. Only collectord's functions (load_enabled_collectors,
// claim_due_collector) return it.

// ---- input rules: pure, checked before any SQL (the schema backs them up)

// "invalid collector name 'a b': use 1-64 letters, digits, '.', '_' or '-'".
Expected<void> check_collector_name(std::string_view name);
// Every field of `c` (port 0 is not allowed here: create fills it in first).
Expected<void> check_collector(const Collector& c);

// ---- configuration (CLI, API)

// Adds `c` (id and status ignored), due at once. Returns it as stored.
Expected<Collector> create_collector(pqxx::connection& conn, const Collector& c);
// By name, any case. NotFound "no collector 'x'".
Expected<Collector> get_collector(pqxx::connection& conn, std::string_view name);
// Every collector, enabled or not, by name.
Expected<std::vector<Collector>> list_collectors(pqxx::connection& conn);

// Only the fields set change; the result must pass check_collector.
struct CollectorChanges {
  std::optional<std::string> name, server;
  std::optional<int> port;
  std::optional<CollectorTls> tls;
  std::optional<std::string> account, sealed_password;
  std::optional<CollectorAuth> auth;
  std::optional<int> interval_minutes;
  std::optional<bool> enabled;
  std::optional<int64_t> max_message_size;
  std::optional<int> leave_days;
  std::optional<CollectorMode> mode;
  std::optional<std::vector<std::string>> accepted_domains, header_fields;
  std::optional<bool> no_default_mappings;
  std::optional<std::string> fallback_account, target, envelope_command;
};
Expected<Collector> update_collector(pqxx::connection& conn, std::string_view name, const CollectorChanges& c);
// Deletes it with its status and UIDLs.
Expected<void> delete_collector(pqxx::connection& conn, std::string_view name);

// ---- collectord

// The enabled collectors by name, sealed passwords included.
Expected<std::vector<Collector>> load_enabled_collectors(pqxx::connection& conn);

// Claims the enabled collector due longest (next_run_at <= now) that no live
// instance runs, for `instance` (its InstanceLock key in namespace
// kCollectorLockNamespace); a claim whose owner's lock is free is taken
// over. Concurrent claimers never get the same collector. nullopt: none due.
Expected<std::optional<Collector>> claim_due_collector(pqxx::connection& conn, int32_t instance, int64_t now);

// Seconds until the next enabled, unclaimed collector is due (0: due now),
// or nullopt when there is none. For collectord's timer.
Expected<std::optional<int64_t>> seconds_until_collector_due(pqxx::connection& conn, int64_t now);

// Ends `instance`'s run of collector `id`: records the result and releases
// the claim. InUse "collector N is not claimed by this instance" when the
// claim was lost meanwhile (nothing is stored then).
Expected<void> finish_run(pqxx::connection& conn, int32_t instance, int64_t id, CollectorResult result,
                          const std::string& error, int fetched, int64_t next_run_at);

enum class UidlState {
  Seen,       // listed, not (yet) stored: a failed download
  Delivered,  // stored here, still on the server
  Oversize,   // too large, left on the server
  Released,   // too large, released: the next run downloads it
  Deleted,    // deleted from the server
};
struct KnownUidl {
  UidlState state = UidlState::Seen;
  int64_t first_seen = 0;
};
// Every UIDL of collector `id`.
Expected<std::map<std::string, KnownUidl>> known_uidls(pqxx::connection& conn, int64_t id);

enum class UidlEvent { Seen, Delivered, Oversize };
// Records what a run did with `uidl` (1-70 characters 0x21-0x7E, else
// InvalidInput "invalid UIDL 'x': use 1-70 printable characters without
// spaces"). The first record sets first_seen = now. Delivered clears a
// release; Oversize keeps an existing release.
Expected<void> record_uidl(pqxx::connection& conn, int64_t id, const std::string& uidl, UidlEvent event,
                           int64_t now);
// The UIDLs deleted from the server at `now`.
Expected<void> mark_deleted(pqxx::connection& conn, int64_t id, const std::vector<std::string>& uidls, int64_t now);
// An administrator lets an oversize message be downloaded on the next run.
// NotFound "no collector 'x'" or "collector 'x' has no oversize message 'u'".
Expected<void> release_oversize(pqxx::connection& conn, std::string_view collector, const std::string& uidl);
// The delivered UIDLs still on the server first seen at least `leave_days`
// days before `now` (all delivered ones when 0), in first-seen order.
Expected<std::vector<std::string>> uidls_to_delete(pqxx::connection& conn, int64_t id, int leave_days, int64_t now);

}  // namespace pillarbox::store
