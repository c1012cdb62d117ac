// Mail target assembly (RFC 5321 §5.1, RFC 7505) and the lookup that feeds
// it: one MX query, then every MX host's addresses in parallel. A host named
// by several MX records is looked up once per record; zones rarely do that.
#include "libcore/dns/mail_targets.hpp"

#include <cassert>
#include <memory>
#include <optional>

#include "libcore/dns/lookup.hpp"

namespace pillarbox::dns {

Expected<MailTargets> targets_from_mx(std::string_view domain, const std::vector<MxRecord>& mx,
                                      std::vector<Expected<HostAddresses>> addresses) {
  assert(mx.size() == addresses.size());
  MailTargets out;
  bool temporary = false;
  std::string why;
  for (size_t i = 0; i < mx.size(); ++i) {
    auto& a = addresses[i];
    if (a && !a->empty()) {
      out.targets.push_back(MailTarget{mx[i].host, mx[i].preference, false, std::move(*a)});
      continue;
    }
    Error e = a ? Error{ErrorCode::NotFound, mx[i].host + ": MX host has no addresses",
                        "A/AAAA " + mx[i].host + ": no records"}
                : a.error();
    temporary = temporary || e.code == ErrorCode::Temporary;
    why += (why.empty() ? "" : "; ") + mx[i].host + ": " + (e.context.empty() ? e.message : e.context);
    out.skipped.push_back(SkippedHost{mx[i].host, mx[i].preference, std::move(e)});
  }
  if (!out.targets.empty()) return out;
  std::string d(domain);
  if (temporary) {
    return fail(ErrorCode::Temporary, d + ": no MX host could be resolved now", "MX " + d + ": " + why);
  }
  return fail(ErrorCode::NotFound, d + ": no usable mail exchanger", "MX " + d + ": " + why);
}

Expected<MailTargets> targets_from_domain(std::string_view domain, Expected<HostAddresses> addresses) {
  std::string d(domain);
  if (!addresses) return Unexpected{addresses.error()};
  if (addresses->empty()) {
    return fail(ErrorCode::NotFound, d + ": domain has no MX and no address records",
                "MX/A/AAAA " + d + ": no records");
  }
  MailTargets out;
  out.targets.push_back(MailTarget{d, 0, true, std::move(*addresses)});
  return out;
}

namespace detail {

namespace {

// The address lookups of one MX list; the last to arrive answers.
struct Expansion {
  std::string domain;
  MailTargetsCallback cb;
  std::vector<MxRecord> mx;
  std::vector<std::optional<Expected<HostAddresses>>> results;
  size_t remaining = 0;
};

void expand(Channel& channel, std::string domain, std::vector<MxRecord> mx, MailTargetsCallback cb) {
  // Options are checked at open: max_mx_hosts >= 1, so someone always answers.
  if (mx.size() > channel.options().max_mx_hosts) mx.resize(channel.options().max_mx_hosts);
  auto ex = std::make_shared<Expansion>();
  ex->domain = std::move(domain);
  ex->cb = std::move(cb);
  ex->mx = std::move(mx);
  ex->results.resize(ex->mx.size());
  ex->remaining = ex->mx.size();
  for (size_t i = 0; i < ex->mx.size(); ++i) {
    lookup_addresses(channel, ex->mx[i].host, [ex, i](Expected<HostAddresses> r) {
      ex->results[i] = std::move(r);
      if (--ex->remaining > 0) return;
      std::vector<Expected<HostAddresses>> all;
      all.reserve(ex->results.size());
      for (auto& one : ex->results) all.push_back(std::move(*one));
      ex->cb(targets_from_mx(ex->domain, ex->mx, std::move(all)));
    });
  }
}

}  // namespace

void lookup_mail_targets(Channel& channel, std::string domain, MailTargetsCallback cb) {
  std::string name = domain;
  lookup_mx(channel, std::move(name),
            [&channel, domain = std::move(domain), cb = std::move(cb)](Expected<std::vector<MxRecord>> mx) {
              if (!mx) return cb(Unexpected{mx.error()});
              if (mx->empty()) {
                lookup_addresses(channel, domain, [domain, cb](Expected<HostAddresses> a) {
                  cb(targets_from_domain(domain, std::move(a)));
                });
                return;
              }
              expand(channel, domain, std::move(*mx), cb);
            });
}

}  // namespace detail

}  // namespace pillarbox::dns
