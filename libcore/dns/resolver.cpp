// Resolver: the public face over a heap Channel. The Channel stays put when
// a Resolver moves, so callbacks may hold on to it.
#include "libcore/dns/resolver.hpp"

#include "libcore/dns/channel.hpp"
#include "libcore/dns/lookup.hpp"

namespace pillarbox::dns {

Expected<Resolver> Resolver::create(event::Loop& loop, Options options) {
  auto channel = detail::Channel::open(loop, std::move(options));
  if (!channel) return Unexpected{channel.error()};
  return Resolver(std::move(*channel));
}

Resolver::Resolver(std::unique_ptr<detail::Channel> channel) : channel_(std::move(channel)) {}
Resolver::Resolver(Resolver&&) noexcept = default;
Resolver& Resolver::operator=(Resolver&&) noexcept = default;
Resolver::~Resolver() = default;

std::vector<std::string> Resolver::servers() const { return channel_->servers(); }

void Resolver::mx(std::string_view domain, MxCallback cb) {
  detail::lookup_mx(*channel_, std::string(domain), std::move(cb));
}

void Resolver::addresses(std::string_view host, AddressesCallback cb) {
  detail::lookup_addresses(*channel_, std::string(host), std::move(cb));
}

void Resolver::mail_targets(std::string_view domain, MailTargetsCallback cb) {
  detail::lookup_mail_targets(*channel_, std::string(domain), std::move(cb));
}

}  // namespace pillarbox::dns
