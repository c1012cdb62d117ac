// Outgoing routes as plain data (REQUIREMENTS.md §7): how mail for remote
// recipients leaves — through relay hosts or directly by MX — and for which
// senders and recipient domains. The store fills them from the tables of
// migration 0007 (store::load_outgoing_routes); route::choose_outgoing_route
// picks one without I/O. No SQL, no sockets, no secrets in clear here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pillarbox::route {

enum class OutgoingMethod {
  Relay,  // through the route's relays, in order; the next when one fails
  Mx,     // directly to the recipient domain's MX hosts (primary, then secondary)
};

enum class RelayTls {
  None,           // plain SMTP, never STARTTLS
  StartTls,       // STARTTLS required: a relay that does not offer it is a failure
  Opportunistic,  // STARTTLS when the relay offers it, else plain
  Implicit,       // TLS from the first byte ("SMTPS", port 465)
};

struct OutgoingRelay {
  int64_t id = 0;
  int position = 0;         // 1-based within the route: the order relays are tried in
  std::string host;         // host name, IPv4 or IPv6 address (no brackets)
  int port = 25;            // 1-65535
  RelayTls tls = RelayTls::Opportunistic;
  std::string auth_user;    // SMTP AUTH user; empty: no AUTH
  // The AUTH password sealed with the server key (crypto::seal); empty
  // exactly when auth_user is. Opened only by senderd, just before AUTH.
  std::string sealed_password;
};

struct OutgoingRoute {
  int64_t id = 0;
  std::string name;                   // 1-64 of [A-Za-z0-9._-], unique ignoring case
  int position = 0;                   // 1-based evaluation order
  std::string sender_pattern = "*";   // wildcard on the envelope sender; "<>": the null sender
  std::string domain_pattern = "*";   // wildcard on the recipient's domain
  OutgoingMethod method = OutgoingMethod::Relay;
  bool enabled = true;
  int64_t created_at = 0;             // Unix time
  std::vector<OutgoingRelay> relays;  // by position; always empty for Mx
};

}  // namespace pillarbox::route
