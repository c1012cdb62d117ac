// Gateways from /proc/net/route and /proc/net/ipv6_route text, captured from a
// Linux host with 192.0.2.2/24 via 192.0.2.1 and fd00::2/64 via fd00::1.
#include <bit>

#include <catch2/catch.hpp>

#include "libcore/access/proc_routes.hpp"

using namespace pillarbox::access;

namespace {

std::string texts(const std::vector<IpAddress>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += (out.empty() ? "" : " ") + a.text();
  return out;
}

// The kernel prints the host-order u32: the captured little-endian text, or
// its byte-swapped form on a big-endian machine.
std::string hex(const char* little, const char* big) {
  return std::endian::native == std::endian::little ? little : big;
}

}  // namespace

TEST_CASE("proc routes: IPv4 gateways", "[access][routes]") {
  std::string table =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
      "eth0\t00000000\t" + hex("010200C0", "C0000201") + "\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
      "eth1\t0000A8C0\t" + hex("FE00A8C0", "C0A800FE") + "\t0003\t0\t0\t100\t0000FFFF\t0\t0\t0\n"
      "eth0\t0000000A\t" + hex("010200C0", "C0000201") + "\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n"
      "eth2\t00000000\t" + hex("01010101", "01010101") + "\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"
      "garbage line\n";
  CHECK(texts(ipv4_gateways(table)) == "192.0.2.1 192.168.0.254");
  CHECK(ipv4_gateways("").empty());
}

TEST_CASE("proc routes: IPv6 gateways", "[access][routes]") {
  const char* table =
      "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
      "20010db8000000000000000000000000 20 00000000000000000000000000000000 00 "
      "fe800000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
      "00000000000000000000000000000001 80 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 00000000 00000004 00000000 80200001       lo\n"
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
      "zz000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fd00000000000000000000000000000z 00000400 00000002 00000000 00000003     eth0\n";
  CHECK(texts(ipv6_gateways(table)) == "fd00::1 fe80::1");
}
