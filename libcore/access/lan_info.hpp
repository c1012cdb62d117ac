// Reads this host's LAN as default_lan_rules needs it: the networks of the
// interfaces that are up (getifaddrs) and the gateways of the routing table
// (/proc/net/route, /proc/net/ipv6_route). Linux only; blocking file reads,
// so call it at start-up or from a worker, not from a loop callback.
#pragma once

#include "libcore/access/lan_rules.hpp"
#include "libcore/base/expected.hpp"

namespace pillarbox::access {

// Failure: Unavailable when getifaddrs() fails or /proc/net/route cannot be
// read (the message names the call and the errno text). A missing
// /proc/net/ipv6_route means IPv6 is off: no IPv6 gateways, not an error.
// The result reflects the moment of the call (seed 001: the button uses the
// LAN as it was, so call it again rather than caching it).
Expected<LanInfo> read_lan_info();

}  // namespace pillarbox::access
