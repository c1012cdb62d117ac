// The gateway DENY comes first because the gateway sits inside the LAN it
// routes for, so the LAN's ALLOW would otherwise match it (seed 001: the router
// is denied in case it acts as a proxy). The closing DENY any is the explicit
// last rule REQUIREMENTS.md §2 asks for: without it an unmatched address
// would be allowed, as in VPOP3's legacy text form.
#include "libcore/access/lan_rules.hpp"

#include <algorithm>

namespace pillarbox::access {
namespace {

bool has_network(const RuleSet& set, const Network& network) {
  return std::any_of(set.rules.begin(), set.rules.end(),
                     [&](const Rule& r) { return r.action == Action::Allow && r.network == network; });
}

bool has_gateway(const RuleSet& set, const IpAddress& gateway) {
  return std::any_of(set.rules.begin(), set.rules.end(),
                     [&](const Rule& r) { return r.action == Action::Deny && r.network == Network::host(gateway); });
}

}  // namespace

RuleSet default_lan_rules(const LanInfo& lan) {
  RuleSet set;
  for (const auto& gateway : lan.gateways) {
    if (gateway.unspecified() || has_gateway(set, gateway)) continue;
    set.rules.push_back(Rule{Action::Deny, Network::host(gateway), {}, false, "gateway"});
  }
  auto loopback_v4 = Network::make(*IpAddress::parse("127.0.0.0"), 8);
  set.rules.push_back(Rule{Action::Allow, *loopback_v4, {}, false, "loopback"});
  set.rules.push_back(Rule{Action::Allow, Network::host(*IpAddress::parse("::1")), {}, false, "loopback"});
  for (const auto& in : lan.networks) {
    // An interface without an address range would turn into ALLOW any.
    if (in.network.is_any() || in.network.prefix() == 0 || has_network(set, in.network)) continue;
    set.rules.push_back(Rule{Action::Allow, in.network, {}, false, "network on " + in.name});
  }
  set.rules.push_back(Rule{Action::Deny, Network::any(), {}, false, "everything else"});
  return set;
}

}  // namespace pillarbox::access
