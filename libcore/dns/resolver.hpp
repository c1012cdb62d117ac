// Resolver: asynchronous DNS lookups for direct-to-MX delivery, over c-ares,
// on one libuv loop. MX (RFC 5321 §5.1 order, RFC 7505 null MX), A+AAAA, and
// mail_targets(): the ordered hosts and addresses a sender tries. No caching
// (the servers cache), no DNSSEC, no SRV/TLSA, no search list: names are
// taken as fully qualified, as RFC 5321 §5.1 requires of relays.
//
// Results (see answer.hpp for the full table):
//   NotFound          NXDOMAIN, or (mail_targets) no usable host: bounce
//   PermissionDenied  null MX, the domain accepts no mail: bounce (5.1.10)
//   Temporary         SERVFAIL, REFUSED, timeout, unreachable server: retry later
//   InvalidInput      the name cannot be queried
//   success, empty    NODATA: the name exists without records of that type
//
// Threads and lifetime: create, query and destroy on the loop's thread only.
// Callbacks run on that thread from the loop, never inside the call that
// started the lookup, each at most once. Destroying the Resolver (even from
// inside one of its callbacks) cancels every outstanding lookup: their
// callbacks are destroyed without being called. Destroy it before its Loop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/dns/options.hpp"
#include "libcore/dns/records.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::dns {

namespace detail {
class Channel;
}

class Resolver {
 public:
  using MxCallback = std::function<void(Expected<std::vector<MxRecord>>)>;
  using AddressesCallback = std::function<void(Expected<HostAddresses>)>;
  using MailTargetsCallback = std::function<void(Expected<MailTargets>)>;

  // InvalidInput for a bad server entry or option (the message names it);
  // Unavailable when c-ares cannot start.
  static Expected<Resolver> create(event::Loop& loop, Options options = {});

  // A moved-from Resolver may only be destroyed or assigned to; moving one
  // keeps its outstanding lookups (they belong to the channel, not the object).
  Resolver(Resolver&&) noexcept;
  Resolver& operator=(Resolver&&) noexcept;
  ~Resolver();

  // The servers queried, in order, as "ip:port" or "[ipv6]:port" — for the
  // daemon's start-up log line.
  std::vector<std::string> servers() const;

  // The MX records of `domain`, lowest preference first; ties shuffled unless
  // options.shuffle_equal_preference is off. Empty: no MX records (NODATA),
  // the caller uses the implicit MX. A null MX fails PermissionDenied.
  void mx(std::string_view domain, MxCallback cb);

  // The AAAA and A records of `host` (CNAMEs followed). One family failing
  // while the other has addresses still succeeds. Empty: NODATA for both.
  void addresses(std::string_view host, AddressesCallback cb);

  // RFC 5321 §5.1: MX hosts in order, each with its addresses, or the
  // implicit MX; unresolvable MX hosts skipped and listed (mail_targets.hpp).
  // At most options.max_mx_hosts hosts are looked up.
  void mail_targets(std::string_view domain, MailTargetsCallback cb);

 private:
  explicit Resolver(std::unique_ptr<detail::Channel> channel);
  std::unique_ptr<detail::Channel> channel_;
};

}  // namespace pillarbox::dns
