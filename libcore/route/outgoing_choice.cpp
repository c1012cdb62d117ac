// Outgoing route choice. Matching reuses libcore/match's DOS wildcards, so a
// route pattern behaves like every other wildcard of the administrator's.
#include "libcore/route/outgoing_choice.hpp"

#include <string>

#include "libcore/match/text.hpp"
#include "libcore/match/wildcard.hpp"

namespace pillarbox::route {
namespace {

bool only_stars(std::string_view pattern) {
  return !pattern.empty() && pattern.find_first_not_of('*') == std::string_view::npos;
}

std::string shown(std::string_view address) { return "<" + std::string(address) + ">"; }

}  // namespace

std::string_view normalized_sender(std::string_view sender) {
  if (sender.size() >= 2 && sender.front() == '<' && sender.back() == '>') {
    sender.remove_prefix(1);
    sender.remove_suffix(1);
  }
  return sender;
}

std::string_view recipient_domain(std::string_view recipient) {
  const auto parts = match::split_address(recipient);
  std::string_view domain = parts.has_at ? parts.domain : std::string_view{};
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  return domain;
}

bool sender_pattern_matches(std::string_view pattern, std::string_view sender) {
  sender = normalized_sender(sender);
  if (pattern == "<>") return sender.empty();
  // "?*" or "*@*" must not catch bounces by accident; only "any" does.
  if (sender.empty()) return only_stars(pattern);
  return match::wildcard_match(pattern, sender);
}

bool domain_pattern_matches(std::string_view pattern, std::string_view domain) {
  return only_stars(pattern) || match::wildcard_match(pattern, domain);
}

Expected<OutgoingRoute> choose_outgoing_route(const std::vector<OutgoingRoute>& routes,
                                              std::string_view sender, std::string_view recipient) {
  const std::string_view domain = recipient_domain(recipient);
  for (const OutgoingRoute& route : routes) {
    if (!route.enabled) continue;
    if (!sender_pattern_matches(route.sender_pattern, sender)) continue;
    if (!domain_pattern_matches(route.domain_pattern, domain)) continue;
    if (route.method == OutgoingMethod::Relay && route.relays.empty()) {
      return fail(ErrorCode::Unavailable,
                  "outgoing route '" + route.name + "' has no relays: the mail is not sent");
    }
    return route;
  }
  return fail(ErrorCode::NotFound, "no outgoing route for sender " + shown(normalized_sender(sender)) +
                                       " and recipient " + shown(recipient) + ": the mail is not sent");
}

}  // namespace pillarbox::route
