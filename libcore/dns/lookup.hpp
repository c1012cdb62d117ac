// The lookups Resolver offers, as functions over a Channel so that composite
// lookups (mail_targets) can chain them without a Resolver (which may move).
// Callbacks always run later from the Channel's dispatch, never inside the
// call, and never once the Channel is destroyed. Internal to libcore/dns.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/dns/channel.hpp"
#include "libcore/dns/records.hpp"

namespace pillarbox::dns::detail {

using MxCallback = std::function<void(Expected<std::vector<MxRecord>>)>;
using AddressesCallback = std::function<void(Expected<HostAddresses>)>;
using MailTargetsCallback = std::function<void(Expected<MailTargets>)>;

// One MX query, ordered by order_mx with the channel's tie policy.
void lookup_mx(Channel& channel, std::string domain, MxCallback cb);
// A and AAAA queries in parallel, joined by join_families.
void lookup_addresses(Channel& channel, std::string host, AddressesCallback cb);
// RFC 5321 §5.1 over the two above (mail_targets.cpp).
void lookup_mail_targets(Channel& channel, std::string domain, MailTargetsCallback cb);

}  // namespace pillarbox::dns::detail
