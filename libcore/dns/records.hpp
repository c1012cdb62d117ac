// The values DNS lookups hand back to mail delivery: MX records, a host's
// addresses by family, and the ordered targets of RFC 5321 §5.1. Plain data:
// no c-ares, no libuv, no ordering logic (see answer.hpp and mail_targets.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libcore/base/error.hpp"

namespace pillarbox::dns {

struct MxRecord {
  uint16_t preference = 0;
  std::string host;  // no trailing dot; never empty (a null MX is an error)

  bool operator==(const MxRecord&) const = default;
};

// Addresses in text form ("192.0.2.1", "2001:db8::1"), in answer order.
// Both lists empty means the name exists but has no A or AAAA (NODATA).
struct HostAddresses {
  std::vector<std::string> v6;
  std::vector<std::string> v4;

  bool empty() const { return v6.empty() && v4.empty(); }
};

// One host the sender should try, in the order given. `implicit` marks the
// RFC 5321 §5.1 implicit MX (no MX records: the domain itself, preference 0).
// Which family to try first is the sender's choice (it knows its own routes).
struct MailTarget {
  std::string host;
  uint16_t preference = 0;
  bool implicit = false;
  HostAddresses addresses;  // never empty
};

// An MX host left out of the targets, and why (for the sender's log).
struct SkippedHost {
  std::string host;
  uint16_t preference = 0;
  Error error;
};

struct MailTargets {
  std::vector<MailTarget> targets;  // never empty on success
  std::vector<SkippedHost> skipped;
};

}  // namespace pillarbox::dns
