// Limits and per-connection options of the POP3 engine (session.hpp). Plain
// values chosen by the host (pop3d) from its configuration and access rules;
// nothing here reads configuration or talks to the network.
#pragma once

#include <cstddef>
#include <string>

namespace pillarbox::pop3 {

struct Limits {
  // Octets without CRLF. RFC 2449 §4 allows commands of 255 octets; some
  // clients send longer USER/PASS lines, so the default is more generous.
  std::size_t max_command_line = 512;
  std::size_t max_auth_line = 12288;  // AUTH command and SASL response lines (RFC 5034 §4)
  int max_errors = 10;                // -ERR replies before "-ERR Too many errors" and Close
  std::size_t max_commands = 100000;  // lines per session, then -ERR and Close
  // Octets buffered while the host answers a question (pending()); more close
  // the session. The host stops reading then, so only a misbehaving host or
  // a huge read reaches this.
  std::size_t max_pending_input = 1024 * 1024;
};

struct Options {
  std::string hostname;                  // for the host's logs; the engine only carries it
  bool tls_available = false;            // STLS can be offered (not when tls_active)
  bool tls_active = false;               // implicit TLS (pop3s) or after STLS
  bool plain_login_without_tls = false;  // client on a network the access rules trust
  bool apop_required = false;            // "Require APOP authentication": USER/PASS and AUTH refused
  std::string apop_timestamp;            // "<1234.5678@host>"; empty: APOP neither offered nor accepted
};

}  // namespace pillarbox::pop3
