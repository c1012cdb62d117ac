// What the POP3 client learns about the server before logging in: the CAPA
// listing (RFC 2449 §5-6, RFC 2595 §4 STLS) and the APOP timestamp of the
// greeting (RFC 1939 §7). Parsing only; what to do with it is in
// client_auth.hpp and client_session.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::pop3::client {

struct Capabilities {
  bool known = false;  // CAPA answered +OK; otherwise nothing below is known
  bool stls = false;
  bool user = false;
  bool uidl = false;
  bool top = false;
  bool pipelining = false;
  bool resp_codes = false;
  std::vector<std::string> sasl;      // mechanisms, upper case
  std::vector<std::string> lines;     // the listing as received, for logs
};

// The body of a +OK CAPA response (CRLF lines, as ResponseReader returns it).
// Capability names are compared case-insensitively; unknown ones are kept in
// `lines` only.
Capabilities parse_capabilities(std::string_view body);

// The APOP timestamp in a greeting's text: the first "<...>" that looks like
// an RFC 5322 msg-id (printable ASCII, no space, one "@", at most 255 octets).
// Anything looser is not used: a man in the middle choosing arbitrary
// challenges can recover APOP secrets (the 2007 APOP attacks, CVE-2007-1558).
std::optional<std::string> apop_timestamp(std::string_view greeting_text);

}  // namespace pillarbox::pop3::client
