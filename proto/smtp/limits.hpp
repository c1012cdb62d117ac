// Limits and per-connection options of the SMTP engine (session.hpp). Plain
// values chosen by the host (smtpd) from its configuration and access rules;
// nothing here reads configuration or talks to the network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pillarbox::smtp {

struct Limits {
  std::size_t max_command_line = 2048;             // octets, CRLF excluded (RFC 5321 §4.5.3.1.4)
  std::uint64_t max_message_size = 20 * 1024 * 1024;  // octets after unstuffing, CRLF line ends
  std::size_t max_recipients = 100;                // accepted RCPTs per transaction
  int max_errors = 10;                             // error replies before 421 and close
  std::size_t max_auth_line = 12288;               // AUTH command and SASL response lines
  int max_received_headers = 50;                   // hop limit (RFC 5321 §6.3)
};

enum class Listener {
  Smtp,        // port 25: inbound mail, STARTTLS offered
  Submission,  // port 587: AUTH required before MAIL (RFC 6409)
  Smtps,       // port 465: implicit TLS submission, AUTH required (RFC 8314 §3.3)
};

struct Options {
  std::string hostname;                 // our name in the greeting and replies
  Listener listener = Listener::Smtp;
  bool tls_available = false;           // STARTTLS can be offered
  bool tls_active = false;              // implicit TLS (forced on for Listener::Smtps)
  bool plain_auth_without_tls = false;  // client is on a network the rules trust
  bool auth_exempt = false;             // access rules say "no auth": MAIL without AUTH on submission
  std::string client_address;           // for the host's logs; the engine only carries it
};

}  // namespace pillarbox::smtp
