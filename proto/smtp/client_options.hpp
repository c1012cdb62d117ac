// Settings of one SMTP client connection (client_session.hpp): who we are,
// the TLS policy, the credentials for a relay, and the limits and per-command
// timeouts (RFC 5321 §4.5.3.2). Plain values chosen by the host (senderd) from
// its configuration; nothing here reads configuration or touches the network.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "proto/smtp/client_auth.hpp"

namespace pillarbox::smtp::client {

enum class TlsPolicy {
  None,           // never STARTTLS
  Opportunistic,  // STARTTLS when offered; go on in the clear when it is not or is refused
  Required,       // STARTTLS or fail the session (temporarily: 4.7.4)
  Implicit,       // the host connected with TLS already (port 465): no STARTTLS
};

struct Options {
  std::string helo_name;  // our name in EHLO/HELO
  TlsPolicy tls = TlsPolicy::Opportunistic;
  std::optional<Credentials> credentials;  // AUTH when the server offers a usable mechanism
  // Fail the session when no AUTH happens (no credentials, or no usable mechanism).
  bool auth_required = false;
  // Allow PLAIN and LOGIN without TLS (a relay on a trusted network).
  bool cleartext_auth = false;
};

// Minimum per-command timeouts of RFC 5321 §4.5.3.2; what the host arms while
// a reply is awaited (Session::timeout()).
struct Timeouts {
  std::chrono::seconds greeting{300};          // §4.5.3.2.1 initial 220
  std::chrono::seconds command{300};           // EHLO, HELO, STARTTLS, AUTH, RSET, QUIT
  std::chrono::seconds tls_handshake{300};     // from the 220 to STARTTLS until on_tls_started()
  std::chrono::seconds mail{300};              // §4.5.3.2.2
  std::chrono::seconds rcpt{300};              // §4.5.3.2.3
  std::chrono::seconds data_init{120};         // §4.5.3.2.4 awaiting 354
  std::chrono::seconds data_block{180};        // §4.5.3.2.5 each block of message text being written
  std::chrono::seconds data_termination{600};  // §4.5.3.2.6 awaiting the reply to the final dot
};

struct Limits {
  std::size_t max_reply_line = 4096;  // octets, CRLF excluded (RFC 5321 §4.5.3.1.5 says 512; servers exceed it)
  std::size_t max_reply_lines = 100;  // lines in one reply (a long EHLO reply has ~20)
  std::size_t data_block = 65536;     // octets of message text per Write while sending DATA
  std::size_t max_command_line = 512; // RFC 5321 §4.5.3.1.4; decides AUTH PLAIN's initial response
};

}  // namespace pillarbox::smtp::client
