// "Default for your LAN" (seed 001, REQUIREMENTS.md §2): DENY each gateway,
// ALLOW loopback and each directly connected network, then DENY everything
// else. Pure: the host's interfaces come in a LanInfo (see lan_info.hpp).
#pragma once

#include <string>
#include <vector>

#include "libcore/access/ip_address.hpp"
#include "libcore/access/network.hpp"
#include "libcore/access/rule.hpp"

namespace pillarbox::access {

struct Interface {
  std::string name;  // "eth0", "lo"
  Network network;   // the directly connected network, host bits clear
};

struct LanInfo {
  std::vector<Interface> networks;  // in the order found
  std::vector<IpAddress> gateways;  // routers of the routing table's gateway routes
};

// In order: DENY each gateway (duplicates and 0.0.0.0/:: skipped); ALLOW
// 127.0.0.0/8 and ::1; ALLOW each interface network not already listed
// (same prefix on two interfaces: one rule); DENY any. Comments say why
// ("gateway", "loopback", "network on eth0", "everything else").
// Never sets NOAUTH or NOGLOBAL: trusting a LAN to relay or to bypass the
// global list is the administrator's choice.
RuleSet default_lan_rules(const LanInfo& lan);

}  // namespace pillarbox::access
