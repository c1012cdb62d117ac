// Outgoing routes. Renumbering relies on the (position) and (route_id,
// position) unique constraints being DEFERRABLE, checked after each statement
// rather than each row. Sealed passwords are "v1:base64" text kept in a bytea
// column (convert_to/convert_from), like accounts.apop_secret.
#include "libcore/store/outgoing_routes.hpp"

#include <arpa/inet.h>

#include <map>
#include <set>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kRouteColumns =
    "id, name, position, sender_pattern, domain_pattern, method, enabled, "
    "extract(epoch FROM created_at)::bigint";
constexpr const char* kRelayColumns =
    "id, route_id, position, host, port, tls, auth_user, convert_from(auth_password, 'UTF8')";
constexpr std::size_t kMaxAuthUser = 255;

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-';
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// RFC 1123 host name; a last label of digits only would be a mistyped IPv4.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  bool all_digits = true;
  while (start <= host.size()) {
    std::size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    all_digits = true;
    for (char c : label) {
      if (!is_label_char(c)) return false;
      all_digits = all_digits && is_digit(c);
    }
    start = end + 1;
  }
  return !all_digits;
}

route::OutgoingRoute route_from(const pqxx::row& r) {
  route::OutgoingRoute o;
  o.id = r[0].as<int64_t>();
  o.name = r[1].as<std::string>();
  o.position = r[2].as<int>();
  o.sender_pattern = r[3].as<std::string>();
  o.domain_pattern = r[4].as<std::string>();
  o.method = parse_outgoing_method(r[5].as<std::string>()).value_or(route::OutgoingMethod::Relay);
  o.enabled = r[6].as<bool>();
  o.created_at = r[7].as<int64_t>();
  return o;
}

route::OutgoingRelay relay_from(const pqxx::row& r) {
  route::OutgoingRelay l;
  l.id = r[0].as<int64_t>();
  l.position = r[2].as<int>();
  l.host = r[3].as<std::string>();
  l.port = r[4].as<int>();
  l.tls = parse_relay_tls(r[5].as<std::string>()).value_or(route::RelayTls::Opportunistic);
  l.auth_user = r[6].as<std::string>();
  l.sealed_password = r[7].is_null() ? std::string{} : r[7].as<std::string>();
  return l;
}

std::vector<route::OutgoingRelay> read_relays(pqxx::transaction_base& tx, int64_t route_id) {
  std::vector<route::OutgoingRelay> out;
  for (const auto& r : tx.exec_params("SELECT " + std::string(kRelayColumns) +
                                          " FROM outgoing_relays WHERE route_id = $1 ORDER BY position",
                                      route_id))
    out.push_back(relay_from(r));
  return out;
}

// The route named `name` (any case) with its relays; `lock` takes its row
// FOR UPDATE, which serialises every change to its relays.
std::optional<route::OutgoingRoute> find_route(pqxx::transaction_base& tx, std::string_view name, bool lock) {
  auto r = tx.exec_params("SELECT " + std::string(kRouteColumns) +
                              " FROM outgoing_routes WHERE lower(name) = lower($1)" + (lock ? " FOR UPDATE" : ""),
                          std::string(name));
  if (r.empty()) return std::nullopt;
  route::OutgoingRoute out = route_from(r[0]);
  out.relays = read_relays(tx, out.id);
  return out;
}

Unexpected no_route(std::string_view name) {
  return fail(ErrorCode::NotFound, "no outgoing route " + in_quotes(name));
}

Unexpected no_relay(const route::OutgoingRoute& r, int position) {
  return fail(ErrorCode::NotFound,
              "outgoing route " + in_quotes(r.name) + " has no relay at position " + std::to_string(position));
}

// The relay at `position` of `r`, or null.
const route::OutgoingRelay* relay_at(const route::OutgoingRoute& r, int position) {
  for (const auto& l : r.relays)
    if (l.position == position) return &l;
  return nullptr;
}

Unexpected bad_position(int position, int count) {
  return fail(ErrorCode::InvalidInput,
              "position " + std::to_string(position) + " out of range 1-" + std::to_string(count));
}

// Serialises every writer of the route list (positions, names).
int lock_routes(pqxx::transaction_base& tx) {
  tx.exec0("LOCK TABLE outgoing_routes IN SHARE ROW EXCLUSIVE MODE");
  return tx.exec1("SELECT count(*) FROM outgoing_routes")[0].as<int>();
}

void insert_relay(pqxx::transaction_base& tx, int64_t route_id, const route::OutgoingRelay& l, int position) {
  std::optional<std::string> sealed;
  if (!l.auth_user.empty()) sealed = l.sealed_password;
  tx.exec_params0(
      "INSERT INTO outgoing_relays (route_id, position, host, port, tls, auth_user, auth_password) "
      "VALUES ($1, $2, $3, $4, $5, $6, convert_to($7, 'UTF8'))",
      route_id, position, l.host, l.port, std::string(to_string(l.tls)), l.auth_user, sealed);
}

Expected<void> check_route_fields(const route::OutgoingRoute& r) {
  if (auto ok = check_route_name(r.name); !ok) return ok;
  if (auto ok = check_sender_pattern(r.sender_pattern); !ok) return ok;
  if (auto ok = check_domain_pattern(r.domain_pattern); !ok) return ok;
  if (r.method == route::OutgoingMethod::Mx && !r.relays.empty()) {
    return fail(ErrorCode::InvalidInput,
                "an mx route takes no relays: it delivers directly to each recipient domain's MX hosts");
  }
  if (r.method == route::OutgoingMethod::Relay && r.relays.empty())
    return fail(ErrorCode::InvalidInput, "a relay route needs at least one relay");
  std::set<std::string> seen;
  for (const auto& l : r.relays) {
    if (auto ok = check_relay(l); !ok) return ok;
    const std::string address = format_relay_address(to_lower(l.host), l.port);
    if (!seen.insert(address).second)
      return fail(ErrorCode::InvalidInput, "relay " + format_relay_address(l.host, l.port) + " is given twice");
  }
  return {};
}

}  // namespace

std::string_view to_string(route::OutgoingMethod method) {
  return method == route::OutgoingMethod::Mx ? "mx" : "relay";
}

std::string_view to_string(route::RelayTls tls) {
  switch (tls) {
    case route::RelayTls::None: return "none";
    case route::RelayTls::StartTls: return "starttls";
    case route::RelayTls::Implicit: return "implicit";
    case route::RelayTls::Opportunistic: break;
  }
  return "opportunistic";
}

std::optional<route::OutgoingMethod> parse_outgoing_method(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "relay") return route::OutgoingMethod::Relay;
  if (t == "mx") return route::OutgoingMethod::Mx;
  return std::nullopt;
}

std::optional<route::RelayTls> parse_relay_tls(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "none") return route::RelayTls::None;
  if (t == "starttls") return route::RelayTls::StartTls;
  if (t == "opportunistic") return route::RelayTls::Opportunistic;
  if (t == "implicit") return route::RelayTls::Implicit;
  return std::nullopt;
}

Expected<void> check_route_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxRouteName;
  for (char c : name) ok = ok && (is_label_char(c) || c == '.' || c == '_');
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid route name " + in_quotes(name) + ": use 1-64 letters, digits, '.', '_' or '-'");
  }
  return {};
}

Expected<void> check_sender_pattern(std::string_view p) {
  bool ok = !p.empty() && p.size() <= kMaxAddress;
  if (p != "<>") {
    for (char c : p) {
      auto byte = static_cast<unsigned char>(c);
      ok = ok && byte > 0x20 && byte != 0x7f && c != '<' && c != '>' && c != ',' && c != ';';
    }
  }
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid sender pattern " + in_quotes(p) +
                    ": use * (any sender), <> (the null sender) or an address wildcard such as *@example.com");
  }
  return {};
}

Expected<void> check_domain_pattern(std::string_view p) {
  bool ok = !p.empty() && p.size() <= 253;
  std::size_t label = 0;
  for (char c : p) {
    if (c == '.') {
      ok = ok && label > 0;
      label = 0;
    } else {
      ok = ok && (is_label_char(c) || c == '*' || c == '?') && ++label <= 63;
    }
  }
  ok = ok && label > 0;
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid domain pattern " + in_quotes(p) +
                    ": use * (any domain) or a domain wildcard such as *.example.com");
  }
  return {};
}

Expected<void> check_relay_host(std::string_view host) {
  if (is_host_name(host) || (host.size() <= 253 && is_ip_literal(std::string(host)))) return {};
  return fail(ErrorCode::InvalidInput,
              "invalid relay host " + in_quotes(host) + ": use a host name or an IP address");
}

Expected<void> check_relay(const route::OutgoingRelay& l) {
  if (auto ok = check_relay_host(l.host); !ok) return ok;
  if (l.port < 1 || l.port > 65535)
    return fail(ErrorCode::InvalidInput, "invalid relay port " + std::to_string(l.port) + ": use 1-65535");
  if (l.auth_user.empty()) {
    if (!l.sealed_password.empty())
      return fail(ErrorCode::InvalidInput, "relay password given without an AUTH user");
    return {};
  }
  bool ok = l.auth_user.size() <= kMaxAuthUser;
  for (char c : l.auth_user) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  if (!ok)
    return fail(ErrorCode::InvalidInput, "invalid relay AUTH user: use at most 255 characters, no control characters");
  if (l.sealed_password.empty())
    return fail(ErrorCode::InvalidInput, "relay AUTH user " + in_quotes(l.auth_user) + " needs a password");
  if (l.tls != route::RelayTls::StartTls && l.tls != route::RelayTls::Implicit) {
    return fail(ErrorCode::InvalidInput, "relay AUTH needs TLS starttls or implicit: with " +
                                             in_quotes(to_string(l.tls)) +
                                             " the password could cross the network in clear");
  }
  return {};
}

Expected<RelayAddress> parse_relay_address(std::string_view text) {
  auto bad_host = [&] {
    return fail(ErrorCode::InvalidInput, "invalid relay host " + in_quotes(text) + ": use a host name or an IP address");
  };
  RelayAddress out;
  std::optional<std::string_view> port;
  const auto colon = text.find(':');
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return bad_host();
    out.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return bad_host();
    if (!rest.empty()) port = rest.substr(1);
  } else if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  } else {
    out.host = std::string(text);  // a name, or a bare IPv6 address (several colons)
  }
  if (port) {
    bool ok = !port->empty() && port->size() <= 5;
    long value = 0;
    for (char c : *port) {
      ok = ok && is_digit(c);
      value = value * 10 + (c - '0');
    }
    if (!ok || value < 1 || value > 65535) {
      return fail(ErrorCode::InvalidInput,
                  "invalid relay port " + in_quotes(*port) + " in " + in_quotes(text) + ": use 1-65535");
    }
    out.port = static_cast<int>(value);
  }
  if (auto ok = check_relay_host(out.host); !ok) return Unexpected{ok.error()};
  return out;
}

std::string format_relay_address(std::string_view host, int port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

// ---------------------------------------------------------------- routes

Expected<route::OutgoingRoute> create_outgoing_route(pqxx::connection& conn, const route::OutgoingRoute& r) {
  if (auto ok = check_route_fields(r); !ok) return Unexpected{ok.error()};
  return guarded("adding outgoing route " + in_quotes(r.name), [&]() -> Expected<route::OutgoingRoute> {
    pqxx::work tx{conn};
    const int count = lock_routes(tx);
    if (find_route(tx, r.name, false))
      return fail(ErrorCode::AlreadyExists, "outgoing route " + in_quotes(r.name) + " already exists");
    const int position = r.position == 0 ? count + 1 : r.position;
    if (position < 1 || position > count + 1) return bad_position(position, count + 1);
    tx.exec_params0("UPDATE outgoing_routes SET position = position + 1 WHERE position >= $1", position);
    auto row = tx.exec_params1(
        "INSERT INTO outgoing_routes (name, position, sender_pattern, domain_pattern, method, enabled) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        r.name, position, r.sender_pattern, r.domain_pattern, std::string(to_string(r.method)), r.enabled);
    const auto id = row[0].as<int64_t>();
    int relay_position = 0;
    for (const auto& l : r.relays) insert_relay(tx, id, l, ++relay_position);
    auto stored = find_route(tx, r.name, false);
    tx.commit();
    return *stored;
  });
}

Expected<route::OutgoingRoute> get_outgoing_route(pqxx::connection& conn, std::string_view name) {
  return guarded("reading outgoing route " + in_quotes(name), [&]() -> Expected<route::OutgoingRoute> {
    SnapshotRead tx{conn};
    auto found = find_route(tx, name, false);
    tx.commit();
    if (!found) return no_route(name);
    return *found;
  });
}

Expected<std::vector<route::OutgoingRoute>> list_outgoing_routes(pqxx::connection& conn) {
  return guarded("listing outgoing routes", [&]() -> Expected<std::vector<route::OutgoingRoute>> {
    SnapshotRead tx{conn};
    auto out = read_outgoing_routes(tx, false);
    tx.commit();
    return out;
  });
}

Expected<route::OutgoingRoute> update_outgoing_route(pqxx::connection& conn, std::string_view name,
                                                     const OutgoingRouteChanges& c) {
  if (c.name) {
    if (auto ok = check_route_name(*c.name); !ok) return Unexpected{ok.error()};
  }
  if (c.sender_pattern) {
    if (auto ok = check_sender_pattern(*c.sender_pattern); !ok) return Unexpected{ok.error()};
  }
  if (c.domain_pattern) {
    if (auto ok = check_domain_pattern(*c.domain_pattern); !ok) return Unexpected{ok.error()};
  }
  return guarded("changing outgoing route " + in_quotes(name), [&]() -> Expected<route::OutgoingRoute> {
    pqxx::work tx{conn};
    const int count = lock_routes(tx);
    auto current = find_route(tx, name, false);
    if (!current) return no_route(name);
    if (c.name && !tx.exec_params("SELECT 1 FROM outgoing_routes WHERE lower(name) = lower($1) AND id <> $2",
                                  *c.name, current->id)
                       .empty())
      return fail(ErrorCode::AlreadyExists, "outgoing route " + in_quotes(*c.name) + " already exists");
    if (c.position && *c.position != current->position) {
      if (*c.position < 1 || *c.position > count) return bad_position(*c.position, count);
      tx.exec_params0(
          "UPDATE outgoing_routes SET position = CASE WHEN position = $1 THEN $2 "
          "  WHEN $1 < $2 THEN position - 1 ELSE position + 1 END "
          "WHERE position BETWEEN least($1::int, $2::int) AND greatest($1::int, $2::int)",
          current->position, *c.position);
    }
    tx.exec_params0(
        "UPDATE outgoing_routes SET name = coalesce($2, name), sender_pattern = coalesce($3, sender_pattern), "
        "domain_pattern = coalesce($4, domain_pattern), enabled = coalesce($5, enabled) WHERE id = $1",
        current->id, c.name, c.sender_pattern, c.domain_pattern, c.enabled);
    auto stored = find_route(tx, c.name.value_or(current->name), false);
    tx.commit();
    return *stored;
  });
}

Expected<void> delete_outgoing_route(pqxx::connection& conn, std::string_view name) {
  return guarded("deleting outgoing route " + in_quotes(name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    lock_routes(tx);
    auto r = tx.exec_params("DELETE FROM outgoing_routes WHERE lower(name) = lower($1) RETURNING position",
                            std::string(name));
    if (r.empty()) return no_route(name);
    tx.exec_params0("UPDATE outgoing_routes SET position = position - 1 WHERE position > $1", r[0][0].as<int>());
    tx.commit();
    return {};
  });
}

// ---------------------------------------------------------------- relays

Expected<route::OutgoingRelay> add_outgoing_relay(pqxx::connection& conn, std::string_view route_name,
                                                  const route::OutgoingRelay& relay) {
  if (auto ok = check_relay(relay); !ok) return Unexpected{ok.error()};
  const std::string address = format_relay_address(relay.host, relay.port);
  const std::string what = "adding relay " + address + " to outgoing route " + in_quotes(route_name);
  return guarded(what, [&]() -> Expected<route::OutgoingRelay> {
    pqxx::work tx{conn};
    auto r = find_route(tx, route_name, true);
    if (!r) return no_route(route_name);
    if (r->method == route::OutgoingMethod::Mx)
      return fail(ErrorCode::InvalidInput, "outgoing route " + in_quotes(r->name) + " delivers by MX: it takes no relays");
    for (const auto& l : r->relays) {
      if (to_lower(l.host) == to_lower(relay.host) && l.port == relay.port)
        return fail(ErrorCode::AlreadyExists, "outgoing route " + in_quotes(r->name) + " already has relay " + address);
    }
    const int count = static_cast<int>(r->relays.size());
    const int position = relay.position == 0 ? count + 1 : relay.position;
    if (position < 1 || position > count + 1) return bad_position(position, count + 1);
    tx.exec_params0("UPDATE outgoing_relays SET position = position + 1 WHERE route_id = $1 AND position >= $2",
                    r->id, position);
    insert_relay(tx, r->id, relay, position);
    auto stored = find_route(tx, r->name, false);
    tx.commit();
    return *relay_at(*stored, position);
  });
}

Expected<route::OutgoingRelay> update_outgoing_relay(pqxx::connection& conn, std::string_view route_name,
                                                     int position, const OutgoingRelayChanges& c) {
  const std::string what = "changing a relay of outgoing route " + in_quotes(route_name);
  return guarded(what, [&]() -> Expected<route::OutgoingRelay> {
    pqxx::work tx{conn};
    auto r = find_route(tx, route_name, true);
    if (!r) return no_route(route_name);
    const route::OutgoingRelay* found = relay_at(*r, position);
    if (!found) return no_relay(*r, position);
    route::OutgoingRelay l = *found;
    if (c.tls) l.tls = *c.tls;
    if (c.auth) {
      l.auth_user = c.auth->user;
      l.sealed_password = c.auth->sealed_password;
    }
    if (auto ok = check_relay(l); !ok) return Unexpected{ok.error()};
    std::optional<std::string> sealed;
    if (!l.auth_user.empty()) sealed = l.sealed_password;
    tx.exec_params0(
        "UPDATE outgoing_relays SET tls = $2, auth_user = $3, auth_password = convert_to($4, 'UTF8') WHERE id = $1",
        l.id, std::string(to_string(l.tls)), l.auth_user, sealed);
    tx.commit();
    return l;
  });
}

Expected<void> delete_outgoing_relay(pqxx::connection& conn, std::string_view route_name, int position) {
  return guarded("deleting a relay of outgoing route " + in_quotes(route_name), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = find_route(tx, route_name, true);
    if (!r) return no_route(route_name);
    if (!relay_at(*r, position)) return no_relay(*r, position);
    if (r->relays.size() == 1) {
      const auto& l = r->relays.front();
      return fail(ErrorCode::InUse, "relay " + format_relay_address(l.host, l.port) +
                                        " is the last relay of outgoing route " + in_quotes(r->name) +
                                        ": add another first, or delete the route");
    }
    tx.exec_params0("DELETE FROM outgoing_relays WHERE route_id = $1 AND position = $2", r->id, position);
    tx.exec_params0("UPDATE outgoing_relays SET position = position - 1 WHERE route_id = $1 AND position > $2",
                    r->id, position);
    tx.commit();
    return {};
  });
}

// ---------------------------------------------------------------- senderd

std::vector<route::OutgoingRoute> read_outgoing_routes(pqxx::transaction_base& tx, bool enabled_only) {
  const std::string where = enabled_only ? " WHERE enabled" : "";
  std::vector<route::OutgoingRoute> out;
  std::map<int64_t, std::size_t> index;
  for (const auto& r : tx.exec("SELECT " + std::string(kRouteColumns) + " FROM outgoing_routes" + where +
                               " ORDER BY position")) {
    index.emplace(r[0].as<int64_t>(), out.size());
    out.push_back(route_from(r));
  }
  for (const auto& r : tx.exec("SELECT " + std::string(kRelayColumns) + " FROM outgoing_relays "
                               "ORDER BY route_id, position")) {
    auto at = index.find(r[1].as<int64_t>());
    if (at != index.end()) out[at->second].relays.push_back(relay_from(r));
  }
  return out;
}

Expected<std::vector<route::OutgoingRoute>> load_outgoing_routes(pqxx::connection& conn) {
  return guarded("loading outgoing routes", [&]() -> Expected<std::vector<route::OutgoingRoute>> {
    SnapshotRead tx{conn};
    auto out = read_outgoing_routes(tx, true);
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
