// Outgoing routes and their relays (tables outgoing_routes, outgoing_relays of
// migration 0007), in route::OutgoingRoute's shape. Routes are kept gap-free
// at positions 1..n, and so are the relays of each route. AUTH passwords
// arrive sealed with the server key (crypto::seal, by the caller) and leave
// sealed: the store never sees a password in clear. Choosing a route is
// libcore/route/outgoing_choice's. Each function opens and commits its own
// transaction (database worker threads only); route writers serialise on a
// table lock, relay writers on their route's row.
// Errors: InvalidInput (a field, with its rule), NotFound (route, relay),
// AlreadyExists (route name, relay host:port within a route), InUse (the
// last relay of a relay route), Unavailable/Internal (database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/route/outgoing_route.hpp"

namespace pillarbox::store {

inline constexpr std::size_t kMaxRouteName = 64;
inline constexpr int kDefaultRelayPort = 25;

std::string_view to_string(route::OutgoingMethod method);  // "relay", "mx"
std::string_view to_string(route::RelayTls tls);           // "none", "starttls", "opportunistic", "implicit"
std::optional<route::OutgoingMethod> parse_outgoing_method(std::string_view text);  // any case
std::optional<route::RelayTls> parse_relay_tls(std::string_view text);             // any case

// ---- input rules: pure, checked before any SQL (the schema backs them up)

// 1-64 of letters, digits, '.', '_', '-':
// "invalid route name 'a b': use 1-64 letters, digits, '.', '_' or '-'".
Expected<void> check_route_name(std::string_view name);
// "*", "<>" (the null sender) or an address wildcard: at most 320 bytes, no
// spaces, control characters, '<', '>', ',' or ';'.
Expected<void> check_sender_pattern(std::string_view pattern);
// "*" or labels of letters, digits, '-', '*' or '?' joined by '.'.
Expected<void> check_domain_pattern(std::string_view pattern);
// A host name (labels of letters, digits, '-' joined by '.', the last one not
// all digits) or an IPv4/IPv6 address without brackets.
Expected<void> check_relay_host(std::string_view host);
// Host, port 1-65535, and AUTH: a user (at most 255 bytes, no control
// characters) needs a sealed password and the reverse; AUTH needs tls
// starttls or implicit, so that the password never crosses the network in
// clear (opportunistic would send it in clear to a relay without STARTTLS).
Expected<void> check_relay(const route::OutgoingRelay& relay);

// "HOST", "HOST:PORT", "[IPV6]", "[IPV6]:PORT" or a bare IPv6 address, as the
// CLI and the API take a relay; the port defaults to 25. InvalidInput
// "invalid relay port 'x' in 'h:x': use 1-65535" or the host's message.
struct RelayAddress {
  std::string host;  // without brackets
  int port = kDefaultRelayPort;
};
Expected<RelayAddress> parse_relay_address(std::string_view text);
// "host:port", "[2001:db8::1]:587": how relays are shown.
std::string format_relay_address(std::string_view host, int port);

// ---- routes

// Adds `route` (id, created_at and relay ids ignored) at route.position
// (1..n+1; the routes from there move down one), or last when it is 0, with
// its relays in their order (their positions are ignored). A relay route
// needs at least one relay, an mx route takes none. Returns it as stored.
Expected<route::OutgoingRoute> create_outgoing_route(pqxx::connection& conn, const route::OutgoingRoute& route);

// One route by name (any case), relays included. NotFound "no outgoing route 'x'".
Expected<route::OutgoingRoute> get_outgoing_route(pqxx::connection& conn, std::string_view name);

// Every route, enabled or not, by position, relays included.
Expected<std::vector<route::OutgoingRoute>> list_outgoing_routes(pqxx::connection& conn);

// Only the fields set change. `position` moves the route (1..n; the routes
// between close up). The method cannot change: delete and add the route.
struct OutgoingRouteChanges {
  std::optional<std::string> name;
  std::optional<std::string> sender_pattern;
  std::optional<std::string> domain_pattern;
  std::optional<int> position;
  std::optional<bool> enabled;
};
Expected<route::OutgoingRoute> update_outgoing_route(pqxx::connection& conn, std::string_view name,
                                                     const OutgoingRouteChanges& changes);

// Deletes the route and its relays; the later routes move up one.
Expected<void> delete_outgoing_route(pqxx::connection& conn, std::string_view name);

// ---- relays of a relay route

// Adds `relay` to route `route_name` at relay.position (1..n+1; the relays
// from there move down), or last when it is 0. InvalidInput for an mx route.
Expected<route::OutgoingRelay> add_outgoing_relay(pqxx::connection& conn, std::string_view route_name,
                                                  const route::OutgoingRelay& relay);

// Changes TLS and/or AUTH of the relay at `position`; the result must pass
// check_relay. auth: a user and a sealed password, or ("", "") for no AUTH.
struct OutgoingRelayChanges {
  std::optional<route::RelayTls> tls;
  struct Auth {
    std::string user;
    std::string sealed_password;
  };
  std::optional<Auth> auth;
};
Expected<route::OutgoingRelay> update_outgoing_relay(pqxx::connection& conn, std::string_view route_name,
                                                     int position, const OutgoingRelayChanges& changes);

// Deletes the relay at `position`; the later ones move up. InUse when it is
// the route's last relay: a relay route without relays would send nothing.
Expected<void> delete_outgoing_relay(pqxx::connection& conn, std::string_view route_name, int position);

// ---- for senderd

// The enabled routes by position, relays (sealed passwords included) by
// position: what route::choose_outgoing_route takes. Reload on config.changed.
Expected<std::vector<route::OutgoingRoute>> load_outgoing_routes(pqxx::connection& conn);

// Inside the caller's transaction (one snapshot for routes and relays).
std::vector<route::OutgoingRoute> read_outgoing_routes(pqxx::transaction_base& tx, bool enabled_only);

}  // namespace pillarbox::store
