// Gateways from the text of Linux's /proc/net/route and /proc/net/ipv6_route.
// Pure parsing of text handed in, so it is unit-tested with captured tables;
// reading the files is lan_info.cpp's job. Malformed lines are skipped.
#pragma once

#include <string_view>
#include <vector>

#include "libcore/access/ip_address.hpp"

namespace pillarbox::access {

// /proc/net/route: "Iface Destination Gateway Flags ..." with a header line;
// addresses are 8 hex digits of the host-order u32. Rows with RTF_GATEWAY
// and a non-zero gateway, duplicates dropped, in table order.
std::vector<IpAddress> ipv4_gateways(std::string_view proc_net_route);

// /proc/net/ipv6_route: "dest plen src plen nexthop metric refcnt use flags
// iface", no header; addresses are 32 hex digits in network order. Rows
// with RTF_GATEWAY and a non-zero next hop, duplicates dropped.
std::vector<IpAddress> ipv6_gateways(std::string_view proc_net_ipv6_route);

}  // namespace pillarbox::access
