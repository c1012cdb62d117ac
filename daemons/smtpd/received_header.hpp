// The Received: header smtpd prepends to every accepted message (RFC 5321
// §4.4): who sent it (HELO name and address), who took it, with which
// protocol (RFC 3848 ESMTPSA...), the TLS parameters, and when.
#pragma once

#include <cstdint>
#include <string>

namespace pillarbox::smtpd {

struct ReceivedInfo {
  std::string helo;
  std::string client_address;
  std::string hostname;   // ours
  std::string protocol;   // "ESMTPS", ...
  std::string tls;        // "TLSv1.3 TLS_AES_256_GCM_SHA384" or ""
  std::string id;
  std::string recipient;  // shown as "for <...>" when there is exactly one
  int64_t time = 0;       // Unix seconds
};

// The header with folded lines and a trailing CRLF.
std::string received_header(const ReceivedInfo& info);
// RFC 5322 date-time in UTC: "Mon, 23 Nov 2026 09:30:00 +0000".
std::string rfc5322_date(int64_t unix_seconds);

}  // namespace pillarbox::smtpd
