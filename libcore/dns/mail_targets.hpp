// RFC 5321 §5.1 "Locating the Target Host", as data: turns an MX list and
// the address lookups of its hosts into the ordered targets a sender tries.
// Pure; lookup_mail_targets (lookup.hpp) drives the queries.
//
//   MX lookup NotFound / PermissionDenied (null MX) / Temporary -> that error
//   no MX records -> implicit MX: the domain itself, preference 0, if it has
//     addresses; NotFound when it has none (the implicit MX is unusable)
//   MX records -> hosts in MX order, each with its addresses; hosts that do
//     not resolve are skipped (and listed). None left: Temporary if any host
//     failed Temporary (retry later), else NotFound (no usable MX: permanent).
#pragma once

#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/dns/records.hpp"

namespace pillarbox::dns {

// `mx` in the order to try (order_mx), already cut to the host limit;
// `addresses[i]` is the lookup of mx[i].host.
Expected<MailTargets> targets_from_mx(std::string_view domain, const std::vector<MxRecord>& mx,
                                      std::vector<Expected<HostAddresses>> addresses);

// The implicit MX: `addresses` is the lookup of the domain itself.
Expected<MailTargets> targets_from_domain(std::string_view domain, Expected<HostAddresses> addresses);

}  // namespace pillarbox::dns
