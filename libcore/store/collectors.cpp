// Collectors. The claim follows sender_queue.cpp: one statement picks the due
// row FOR UPDATE SKIP LOCKED, probing a foreign claim's owner with
// pg_try_advisory_xact_lock (free: the owner is gone). Sealed passwords are
// "v1:base64" text in a bytea column (convert_to/convert_from), as for relays.
#include "libcore/store/collectors.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/outgoing_routes.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kSelect =
    "SELECT c.id, c.name, c.server, c.port, c.tls, c.account, convert_from(c.password, 'UTF8'), c.auth, "
    "c.interval_minutes, c.enabled, c.max_message_size, c.leave_days, c.mode, c.accepted_domains, "
    "c.header_fields, c.no_default_mappings, c.fallback_account, c.target, c.envelope_command, "
    "extract(epoch FROM s.next_run_at)::bigint, extract(epoch FROM s.last_run_at)::bigint, s.last_result, "
    "s.last_error, s.fetched, s.claimed_by, extract(epoch FROM s.claimed_at)::bigint "
    "FROM collectors c JOIN collector_status s ON s.collector_id = c.id ";
constexpr std::size_t kMaxAccount = 255;
constexpr std::size_t kMaxHeaderField = 64;
constexpr std::size_t kMaxEnvelopeCommand = 32;
constexpr std::size_t kMaxUidl = 70;

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

// Printable ASCII without space (0x21-0x7E), 1..max bytes.
bool is_token(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char c : text)
    if (c < '!' || c > '~') return false;
  return true;
}

Collector collector_from(const pqxx::row& r, bool with_password) {
  Collector c;
  c.id = r[0].as<int64_t>();
  c.name = r[1].as<std::string>();
  c.server = r[2].as<std::string>();
  c.port = r[3].as<int>();
  c.tls = parse_collector_tls(r[4].as<std::string>()).value_or(CollectorTls::None);
  c.account = r[5].as<std::string>();
  if (with_password) c.sealed_password = r[6].as<std::string>();
  c.auth = parse_collector_auth(r[7].as<std::string>()).value_or(CollectorAuth::User);
  c.interval_minutes = r[8].as<int>();
  c.enabled = r[9].as<bool>();
  c.max_message_size = r[10].as<int64_t>();
  c.leave_days = r[11].as<int>();
  c.mode = parse_collector_mode(r[12].as<std::string>()).value_or(CollectorMode::Headers);
  c.accepted_domains = from_pg_array(r[13]);
  c.header_fields = from_pg_array(r[14]);
  c.no_default_mappings = r[15].as<bool>();
  c.fallback_account = r[16].as<std::string>();
  c.target = r[17].as<std::string>();
  c.envelope_command = r[18].as<std::string>();
  c.status.next_run_at = r[19].as<int64_t>();
  c.status.last_run_at = optional_int(r[20]);
  if (!r[21].is_null()) {
    const std::string result = r[21].as<std::string>();
    c.status.last_result = result == "ok" ? CollectorResult::Ok
                           : result == "partial" ? CollectorResult::Partial
                                                 : CollectorResult::Failed;
  }
  c.status.last_error = r[22].as<std::string>();
  c.status.fetched = r[23].as<int>();
  c.status.claimed_by = optional_int32(r[24]);
  c.status.claimed_at = optional_int(r[25]);
  return c;
}

std::optional<Collector> find(pqxx::transaction_base& tx, std::string_view name, bool with_password) {
  auto r = tx.exec_params(std::string(kSelect) + "WHERE lower(c.name) = lower($1)", std::string(name));
  if (r.empty()) return std::nullopt;
  return collector_from(r[0], with_password);
}

std::vector<Collector> read_all(pqxx::transaction_base& tx, bool enabled_only) {
  std::vector<Collector> out;
  for (const auto& r : tx.exec(std::string(kSelect) + (enabled_only ? "WHERE c.enabled " : "") + "ORDER BY lower(c.name)"))
    out.push_back(collector_from(r, enabled_only));
  return out;
}

Unexpected no_collector(std::string_view name) {
  return fail(ErrorCode::NotFound, "no collector " + in_quotes(name));
}

Unexpected name_taken(std::string_view name) {
  return fail(ErrorCode::AlreadyExists, "collector " + in_quotes(name) + " already exists");
}

bool name_in_use(pqxx::transaction_base& tx, std::string_view name, int64_t except_id) {
  return !tx.exec_params("SELECT 1 FROM collectors WHERE lower(name) = lower($1) AND id <> $2", std::string(name),
                         except_id)
              .empty();
}

Expected<void> check_mode_fields(const Collector& c) {
  switch (c.mode) {
    case CollectorMode::Headers:
      if (!c.target.empty()) {
        return fail(ErrorCode::InvalidInput,
                    "a collector routing by headers takes no target: give a fallback account instead");
      }
      for (const auto& d : c.accepted_domains)
        if (auto ok = check_domain(d, true); !ok) return ok;
      for (const auto& f : c.header_fields) {
        bool ok = is_token(f, kMaxHeaderField) && f.find(':') == std::string::npos;
        if (!ok) {
          return fail(ErrorCode::InvalidInput, "invalid header field name " + in_quotes(f) +
                                                   ": use 1-64 printable characters other than ':' and space");
        }
      }
      if (!c.fallback_account.empty()) return check_name("fallback account", c.fallback_account);
      return {};
    case CollectorMode::Deliver: return check_name("account or list", c.target);
    case CollectorMode::Forward: return check_address("forward address", c.target);
  }
  return {};
}

// The statement shared by create and update: $1 is the id (update) or unused.
void write(pqxx::transaction_base& tx, const Collector& c, std::optional<int64_t> id) {
  const std::string columns =
      "name = $2, server = $3, port = $4, tls = $5, account = $6, password = convert_to($7, 'UTF8'), "
      "auth = $8, interval_minutes = $9, enabled = $10, max_message_size = $11, leave_days = $12, mode = $13, "
      "accepted_domains = $14::text[], header_fields = $15::text[], no_default_mappings = $16, "
      "fallback_account = $17, target = $18, envelope_command = $19";
  const std::string sql =
      id ? "UPDATE collectors SET " + columns + " WHERE id = $1"
         : "INSERT INTO collectors (name, server, port, tls, account, password, auth, interval_minutes, enabled, "
           "max_message_size, leave_days, mode, accepted_domains, header_fields, no_default_mappings, "
           "fallback_account, target, envelope_command) VALUES ($2, $3, $4, $5, $6, convert_to($7, 'UTF8'), $8, "
           "$9, $10, $11, $12, $13, $14::text[], $15::text[], $16, $17, $18, $19) RETURNING $1::bigint";
  tx.exec_params(sql, id.value_or(0), c.name, c.server, c.port, std::string(to_string(c.tls)), c.account,
                 c.sealed_password, std::string(to_string(c.auth)), c.interval_minutes, c.enabled,
                 c.max_message_size, c.leave_days, std::string(to_string(c.mode)), to_pg_array(c.accepted_domains),
                 to_pg_array(c.header_fields), c.no_default_mappings, c.fallback_account, c.target,
                 c.envelope_command);
}

}  // namespace

std::string_view to_string(CollectorTls tls) {
  switch (tls) {
    case CollectorTls::Stls: return "stls";
    case CollectorTls::Implicit: return "implicit";
    case CollectorTls::None: break;
  }
  return "none";
}

std::string_view to_string(CollectorAuth auth) {
  switch (auth) {
    case CollectorAuth::Apop: return "apop";
    case CollectorAuth::CramMd5: return "cram-md5";
    case CollectorAuth::Plain: return "plain";
    case CollectorAuth::User: break;
  }
  return "user";
}

std::string_view to_string(CollectorMode mode) {
  switch (mode) {
    case CollectorMode::Deliver: return "deliver";
    case CollectorMode::Forward: return "forward";
    case CollectorMode::Headers: break;
  }
  return "headers";
}

std::string_view to_string(CollectorResult result) {
  switch (result) {
    case CollectorResult::Partial: return "partial";
    case CollectorResult::Failed: return "failed";
    case CollectorResult::Ok: break;
  }
  return "ok";
}

std::optional<CollectorTls> parse_collector_tls(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "none") return CollectorTls::None;
  if (t == "stls") return CollectorTls::Stls;
  if (t == "implicit") return CollectorTls::Implicit;
  return std::nullopt;
}

std::optional<CollectorAuth> parse_collector_auth(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "user") return CollectorAuth::User;
  if (t == "apop") return CollectorAuth::Apop;
  if (t == "cram-md5") return CollectorAuth::CramMd5;
  if (t == "plain") return CollectorAuth::Plain;
  return std::nullopt;
}

std::optional<CollectorMode> parse_collector_mode(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "headers") return CollectorMode::Headers;
  if (t == "deliver") return CollectorMode::Deliver;
  if (t == "forward") return CollectorMode::Forward;
  return std::nullopt;
}

Expected<void> check_collector_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxCollectorName;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '_' || c == '-');
  }
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid collector name " + in_quotes(name) + ": use 1-64 letters, digits, '.', '_' or '-'");
  }
  return {};
}

Expected<void> check_collector(const Collector& c) {
  if (auto ok = check_collector_name(c.name); !ok) return ok;
  if (!check_relay_host(c.server)) {
    return fail(ErrorCode::InvalidInput,
                "invalid collector server " + in_quotes(c.server) + ": use a host name or an IP address");
  }
  if (c.port < 1 || c.port > 65535)
    return fail(ErrorCode::InvalidInput, "invalid collector port " + std::to_string(c.port) + ": use 1-65535");
  bool account_ok = !c.account.empty() && c.account.size() <= kMaxAccount;
  for (char ch : c.account) account_ok = account_ok && static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f;
  if (!account_ok) {
    return fail(ErrorCode::InvalidInput, "invalid collector account " + in_quotes(c.account) +
                                             ": use 1-255 characters without control characters");
  }
  if (c.sealed_password.empty())
    return fail(ErrorCode::InvalidInput, "collector " + in_quotes(c.name) + " needs a password");
  if (c.interval_minutes < 1 || c.interval_minutes > kMaxCollectorInterval) {
    return fail(ErrorCode::InvalidInput, "invalid collector interval " + std::to_string(c.interval_minutes) +
                                             " minutes: use 1-10080 (one week)");
  }
  if (c.max_message_size < 0) {
    return fail(ErrorCode::InvalidInput, "invalid maximum message size " + std::to_string(c.max_message_size) +
                                             ": use 0 (no limit) or a number of bytes");
  }
  if (c.leave_days < 0 || c.leave_days > kMaxLeaveDays) {
    return fail(ErrorCode::InvalidInput, "invalid days to leave on the server " + std::to_string(c.leave_days) +
                                             ": use 0 (delete once stored) to 3650");
  }
  if (!c.envelope_command.empty() && !is_token(c.envelope_command, kMaxEnvelopeCommand)) {
    return fail(ErrorCode::InvalidInput, "invalid envelope command " + in_quotes(c.envelope_command) +
                                             ": use 1-32 printable characters without spaces, such as *ENV");
  }
  return check_mode_fields(c);
}

// ---------------------------------------------------------------- configuration

Expected<Collector> create_collector(pqxx::connection& conn, const Collector& given) {
  Collector c = given;
  if (c.port == 0) c.port = c.tls == CollectorTls::Implicit ? 995 : 110;
  if (auto ok = check_collector(c); !ok) return Unexpected{ok.error()};
  return guarded("adding collector " + in_quotes(c.name), [&]() -> Expected<Collector> {
    pqxx::work tx{conn};
    // Serialises adders so that the name check below holds until commit.
    tx.exec0("LOCK TABLE collectors IN SHARE ROW EXCLUSIVE MODE");
    if (name_in_use(tx, c.name, 0)) return name_taken(c.name);
    write(tx, c, std::nullopt);
    auto stored = find(tx, c.name, false);
    tx.commit();
    return *stored;
  });
}

Expected<Collector> get_collector(pqxx::connection& conn, std::string_view name) {
  return guarded("reading collector " + in_quotes(name), [&]() -> Expected<Collector> {
    pqxx::read_transaction tx{conn};
    auto found = find(tx, name, false);
    tx.commit();
    if (!found) return no_collector(name);
    return *found;
  });
}

Expected<std::vector<Collector>> list_collectors(pqxx::connection& conn) {
  return guarded("listing collectors", [&]() -> Expected<std::vector<Collector>> {
    pqxx::read_transaction tx{conn};
    auto out = read_all(tx, false);
    tx.commit();
    return out;
  });
}

Expected<Collector> update_collector(pqxx::connection& conn, std::string_view name, const CollectorChanges& ch) {
  return guarded("changing collector " + in_quotes(name), [&]() -> Expected<Collector> {
    pqxx::work tx{conn};
    tx.exec0("LOCK TABLE collectors IN SHARE ROW EXCLUSIVE MODE");
    auto current = find(tx, name, true);
    if (!current) return no_collector(name);
    Collector c = *current;
    auto set = [](auto& field, const auto& change) {
      if (change) field = *change;
    };
    set(c.name, ch.name);
    set(c.server, ch.server);
    set(c.port, ch.port);
    set(c.tls, ch.tls);
    set(c.account, ch.account);
    set(c.sealed_password, ch.sealed_password);
    set(c.auth, ch.auth);
    set(c.interval_minutes, ch.interval_minutes);
    set(c.enabled, ch.enabled);
    set(c.max_message_size, ch.max_message_size);
    set(c.leave_days, ch.leave_days);
    set(c.mode, ch.mode);
    set(c.accepted_domains, ch.accepted_domains);
    set(c.header_fields, ch.header_fields);
    set(c.no_default_mappings, ch.no_default_mappings);
    set(c.fallback_account, ch.fallback_account);
    set(c.target, ch.target);
    set(c.envelope_command, ch.envelope_command);
    if (auto ok = check_collector(c); !ok) return Unexpected{ok.error()};
    if (ch.name && name_in_use(tx, c.name, c.id)) return name_taken(c.name);
    write(tx, c, c.id);
    auto stored = find(tx, c.name, false);
    tx.commit();
    return *stored;
  });
}

Expected<void> delete_collector(pqxx::connection& conn, std::string_view name) {
  return guarded("deleting collector " + in_quotes(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM collectors WHERE lower(name) = lower($1) RETURNING id", std::string(name));
    if (r.empty()) return no_collector(name);
    tx.commit();
    return {};
  });
}

// ---------------------------------------------------------------- collectord

Expected<std::vector<Collector>> load_enabled_collectors(pqxx::connection& conn) {
  return guarded("loading collectors", [&]() -> Expected<std::vector<Collector>> {
    pqxx::read_transaction tx{conn};
    auto out = read_all(tx, true);
    tx.commit();
    return out;
  });
}

Expected<std::optional<Collector>> claim_due_collector(pqxx::connection& conn, int32_t instance, int64_t now) {
  return guarded("claiming a due collector", [&]() -> Expected<std::optional<Collector>> {
    pqxx::work tx{conn};
    auto claimed = tx.exec_params(
        "WITH due AS ("
        "  SELECT s.collector_id FROM collector_status s JOIN collectors c ON c.id = s.collector_id "
        "   WHERE c.enabled AND s.next_run_at <= to_timestamp($2) "
        "     AND (s.claimed_by IS NULL "
        "          OR (s.claimed_by <> $1 AND pg_try_advisory_xact_lock($3, s.claimed_by))) "
        "   ORDER BY s.next_run_at, s.collector_id LIMIT 1 FOR UPDATE OF s SKIP LOCKED) "
        "UPDATE collector_status s SET claimed_by = $1, claimed_at = to_timestamp($2) "
        "  FROM due WHERE s.collector_id = due.collector_id RETURNING s.collector_id",
        instance, now, kCollectorLockNamespace);
    if (claimed.empty()) {
      tx.commit();
      return std::optional<Collector>{};
    }
    auto r = tx.exec_params1(std::string(kSelect) + "WHERE c.id = $1", claimed[0][0].as<int64_t>());
    Collector c = collector_from(r, true);
    tx.commit();
    return std::optional<Collector>{std::move(c)};
  });
}

Expected<std::optional<int64_t>> seconds_until_collector_due(pqxx::connection& conn, int64_t now) {
  return guarded("reading when a collector is due", [&]() -> Expected<std::optional<int64_t>> {
    pqxx::read_transaction tx{conn};
    auto r = tx.exec_params1(
        "SELECT min(extract(epoch FROM s.next_run_at)::bigint) - $1 "
        "  FROM collector_status s JOIN collectors c ON c.id = s.collector_id "
        " WHERE c.enabled AND s.claimed_by IS NULL",
        now);
    tx.commit();
    auto seconds = optional_int(r[0]);  // NULL when none: greatest() would turn it into 0
    if (seconds && *seconds < 0) seconds = 0;
    return seconds;
  });
}

Expected<void> finish_run(pqxx::connection& conn, int32_t instance, int64_t id, CollectorResult result,
                          const std::string& error, int fetched, int64_t next_run_at) {
  return guarded("finishing a run of collector " + std::to_string(id), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "UPDATE collector_status SET last_run_at = claimed_at, last_result = $3, last_error = $4, fetched = $5, "
        "       next_run_at = to_timestamp($6), claimed_by = NULL, claimed_at = NULL "
        " WHERE collector_id = $1 AND claimed_by = $2 RETURNING 1",
        id, instance, std::string(to_string(result)), to_valid_utf8(error), fetched, next_run_at);
    if (r.empty()) {
      return fail(ErrorCode::InUse, "collector " + std::to_string(id) + " is not claimed by this instance");
    }
    tx.commit();
    return {};
  });
}

// ---------------------------------------------------------------- UIDLs

Expected<std::map<std::string, KnownUidl>> known_uidls(pqxx::connection& conn, int64_t id) {
  return guarded("reading the UIDLs of collector " + std::to_string(id),
                 [&]() -> Expected<std::map<std::string, KnownUidl>> {
                   pqxx::read_transaction tx{conn};
                   std::map<std::string, KnownUidl> out;
                   for (const auto& r : tx.exec_params(
                            "SELECT uidl, extract(epoch FROM first_seen)::bigint, delivered_at IS NOT NULL, "
                            "deleted_at IS NOT NULL, oversize, released FROM collector_uidls WHERE collector_id = $1",
                            id)) {
                     KnownUidl k;
                     k.first_seen = r[1].as<int64_t>();
                     if (r[3].as<bool>()) k.state = UidlState::Deleted;
                     else if (r[2].as<bool>()) k.state = UidlState::Delivered;
                     else if (r[5].as<bool>()) k.state = UidlState::Released;
                     else if (r[4].as<bool>()) k.state = UidlState::Oversize;
                     out.emplace(r[0].as<std::string>(), k);
                   }
                   tx.commit();
                   return out;
                 });
}

Expected<void> record_uidl(pqxx::connection& conn, int64_t id, const std::string& uidl, UidlEvent event,
                           int64_t now) {
  if (!is_token(uidl, kMaxUidl)) {
    return fail(ErrorCode::InvalidInput,
                "invalid UIDL " + in_quotes(to_valid_utf8(uidl)) + ": use 1-70 printable characters without spaces");
  }
  return guarded("recording UIDL " + in_quotes(uidl) + " of collector " + std::to_string(id), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    const char* update = event == UidlEvent::Delivered ? "delivered_at = to_timestamp($3), released = false"
                         : event == UidlEvent::Oversize ? "oversize = true"
                                                        : "first_seen = collector_uidls.first_seen";
    tx.exec_params0(
        std::string("INSERT INTO collector_uidls (collector_id, uidl, first_seen, delivered_at, oversize) "
                    "VALUES ($1, $2, to_timestamp($3), CASE WHEN $4 THEN to_timestamp($3) END, $5) "
                    "ON CONFLICT (collector_id, uidl) DO UPDATE SET ") + update,
        id, uidl, now, event == UidlEvent::Delivered, event == UidlEvent::Oversize);
    tx.commit();
    return {};
  });
}

Expected<void> mark_deleted(pqxx::connection& conn, int64_t id, const std::vector<std::string>& uidls, int64_t now) {
  return guarded("marking UIDLs of collector " + std::to_string(id) + " deleted", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    tx.exec_params0(
        "UPDATE collector_uidls SET deleted_at = to_timestamp($3) "
        " WHERE collector_id = $1 AND uidl = ANY ($2::text[]) AND deleted_at IS NULL",
        id, to_pg_array(uidls), now);
    tx.commit();
    return {};
  });
}

Expected<void> release_oversize(pqxx::connection& conn, std::string_view collector, const std::string& uidl) {
  return guarded("releasing " + in_quotes(uidl) + " of collector " + in_quotes(collector), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto c = tx.exec_params("SELECT id, name FROM collectors WHERE lower(name) = lower($1)", std::string(collector));
    if (c.empty()) return no_collector(collector);
    auto r = tx.exec_params(
        "UPDATE collector_uidls SET released = true "
        " WHERE collector_id = $1 AND uidl = $2 AND oversize AND delivered_at IS NULL AND deleted_at IS NULL "
        "RETURNING 1",
        c[0][0].as<int64_t>(), uidl);
    if (r.empty()) {
      return fail(ErrorCode::NotFound, "collector " + in_quotes(c[0][1].as<std::string>()) +
                                           " has no oversize message " + in_quotes(uidl));
    }
    tx.commit();
    return {};
  });
}

Expected<std::vector<std::string>> uidls_to_delete(pqxx::connection& conn, int64_t id, int leave_days, int64_t now) {
  return guarded("reading the UIDLs to delete of collector " + std::to_string(id),
                 [&]() -> Expected<std::vector<std::string>> {
                   pqxx::read_transaction tx{conn};
                   std::vector<std::string> out;
                   for (const auto& r : tx.exec_params(
                            "SELECT uidl FROM collector_uidls WHERE collector_id = $1 AND delivered_at IS NOT NULL "
                            "   AND deleted_at IS NULL AND first_seen <= to_timestamp($3) - make_interval(days => $2) "
                            " ORDER BY first_seen, uidl",
                            id, leave_days, now))
                     out.push_back(r[0].as<std::string>());
                   tx.commit();
                   return out;
                 });
}

}  // namespace pillarbox::store
