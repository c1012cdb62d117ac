// The zone every DNS test queries, served by one dnsmasq per test process
// (ctest runs each case in its own process, so each case gets a fresh one),
// and helpers that run one lookup to completion on a test's Loop.
//
// pbx.test (dnsmasq --local: unknown names are NXDOMAIN, names outside it
// are REFUSED since there is no upstream):
//   multi      MX 30 mx30, 10 mx10, 20 mx20
//   mx10       A 192.0.2.10, AAAA 2001:db8::10
//   mx20       A 192.0.2.20            mx30  AAAA 2001:db8::30
//   ties       MX 10 a, 10 b, 10 c, 5 d, 20 e
//   implicit   A 192.0.2.5, AAAA 2001:db8::5, no MX
//   nothing    TXT only: NODATA for MX, A and AAAA
//   nullmx     MX 0 "." (and A 192.0.2.66, which must not be used)
//   mixednull  MX 0 ".", 10 mx20
//   partial    MX 10 gone (NXDOMAIN), 15 nothing (no address), 20 mx20
//   allgone    MX 10 gone1, 20 nothing
//   refusedmx  MX 10 mx.elsewhere.example, 20 mx2.elsewhere.example (REFUSED)
//   halfrefused MX 10 mx.elsewhere.example, 20 gone
//   alias      CNAME mx10
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "dnsmasq.hpp"
#include "libcore/dns/resolver.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::dns::test {

constexpr auto kDeadline = std::chrono::seconds(10);

// This process's dnsmasq serving the zone above, started on first use.
Dnsmasq& zone();

// Options pointing at zone(): 1 s timeout, 2 tries, ties in answer order.
Options zone_options();

// A Resolver for `options`; REQUIREs that it could be made.
Resolver make_resolver(event::Loop& loop, Options options);

// Starts a lookup with `start(callback)` and runs the loop until it answers.
template <class T, class Start>
Expected<T> await(event::Loop& loop, Start start) {
  std::optional<Expected<T>> out;
  start([&out](Expected<T> r) { out.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return out.has_value(); }, kDeadline));
  return std::move(*out);
}

inline Expected<std::vector<MxRecord>> await_mx(event::Loop& loop, Resolver& r, std::string_view name) {
  return await<std::vector<MxRecord>>(loop, [&](auto cb) { r.mx(name, cb); });
}
inline Expected<HostAddresses> await_addresses(event::Loop& loop, Resolver& r, std::string_view name) {
  return await<HostAddresses>(loop, [&](auto cb) { r.addresses(name, cb); });
}
inline Expected<MailTargets> await_targets(event::Loop& loop, Resolver& r, std::string_view name) {
  return await<MailTargets>(loop, [&](auto cb) { r.mail_targets(name, cb); });
}

}  // namespace pillarbox::dns::test
