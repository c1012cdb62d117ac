// Settings of one POP3 client connection (client_session.hpp), as collectord
// uses it to fetch a provider's mailbox: the TLS policy (RFC 2595 STLS or
// implicit TLS), the credentials and login method (RFC 1939 USER/PASS and
// APOP, RFC 5034 AUTH PLAIN / CRAM-MD5), the size limits and the timeouts.
// Plain values chosen by the host from its configuration; nothing here reads
// configuration or touches the network. MD5 is injected (proto has no crypto).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace pillarbox::pop3::client {

enum class TlsPolicy {
  None,           // never STLS
  Opportunistic,  // STLS when CAPA offers it; on in the clear when not offered or refused
  Required,       // STLS or fail the login
  Implicit,       // the host connected with TLS already (pop3s, port 995): no STLS
};

enum class AuthMethod {
  Best,      // CRAM-MD5 > APOP > PLAIN > USER/PASS, each only when possible (client_auth.hpp)
  UserPass,  // RFC 1939 §7 USER and PASS
  Apop,      // RFC 1939 §7 APOP: needs the greeting's timestamp
  CramMd5,   // RFC 5034 AUTH with RFC 2195 CRAM-MD5
  Plain,     // RFC 5034 AUTH with RFC 4616 PLAIN
};

// Lower-case hex MD5 of timestamp + secret (RFC 1939 §7), as
// pillarbox::auth::apop_digest (libcore/auth/apop.hpp) computes it. Anything
// but 32 lower-case hex digits makes the APOP login fail locally.
using ApopDigest = std::function<std::string(std::string_view timestamp, std::string_view secret)>;

// HMAC-MD5 (RFC 2104) of `data` keyed with `key`: the raw 16-octet digest, as
// pillarbox::auth::hmac_md5 (libcore/auth/cram_md5.hpp). Any other length
// makes CRAM-MD5 fail locally (the exchange is cancelled with "*").
using HmacMd5 = std::function<std::string(std::string_view key, std::string_view data)>;

struct Options {
  TlsPolicy tls = TlsPolicy::Opportunistic;
  std::string user;
  std::string password;  // also the APOP secret
  AuthMethod auth = AuthMethod::Best;
  // Allow the password itself (USER/PASS, AUTH PLAIN) to cross without TLS.
  // Off: such a login fails locally before anything is sent.
  bool cleartext_password = false;
  ApopDigest apop_digest;  // without it APOP is never used
  HmacMd5 hmac_md5;        // without it CRAM-MD5 is never used
  // Octets of one RETR/TOP message (CRLF line ends, after dot-unstuffing).
  // More close the connection: the rest is not read. The host should compare
  // LIST sizes first; this is the safety net.
  std::uint64_t max_message_size = 64ULL * 1024 * 1024;
};

// How long a response may take, counted from the last call (the host
// re-arms its timer after every call, so arriving bytes restart it). RFC 1939
// §3 gives servers an idle timer of at least 10 minutes; these stay within it.
// Between requests nothing is awaited and no timer runs: the host keeps idle
// gaps well under 10 minutes or the server logs the session out.
struct Timeouts {
  std::chrono::seconds greeting{120};
  std::chrono::seconds command{300};   // CAPA, STLS, USER, PASS, APOP, AUTH, STAT, DELE, RSET, NOOP, QUIT
  std::chrono::seconds tls_handshake{120};
  std::chrono::seconds transfer{600};  // LIST, UIDL, RETR, TOP and raw commands: until the final "."
};

struct Limits {
  // Octets of a status line, and of each line of a CAPA, LIST or UIDL
  // listing, CRLF excluded. RFC 2449 §4 says 512; servers exceed it.
  std::size_t max_line = 4096;
  // Octets of a CAPA, LIST, UIDL or raw multi-line response body (a maildrop
  // of 100 000 messages has a UIDL listing of about 3 MB).
  std::size_t max_multiline = 16 * 1024 * 1024;
  // RFC 2449 §4: 255 octets including CRLF; decides whether AUTH PLAIN
  // carries its initial response (RFC 5034 §4).
  std::size_t max_command_line = 255;
};

}  // namespace pillarbox::pop3::client
