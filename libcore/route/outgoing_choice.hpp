// Which outgoing route sends a message to one remote recipient (REQUIREMENTS.md
// §7: "out methods, each limited by sender patterns — different domains through
// different relays"). Pure: works on the routes the store loaded
// (store::load_outgoing_routes), no I/O, no clock; safe on any thread. It only
// chooses: connecting, TLS, AUTH and trying the next relay are senderd's.
#pragma once

#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/route/outgoing_route.hpp"

namespace pillarbox::route {

// The envelope sender as routes see it: "" for the null sender, whether it
// came as "", "<>" or "<...>"-wrapped; otherwise the address unwrapped.
std::string_view normalized_sender(std::string_view sender);

// The recipient's domain: after the last '@', one trailing '.' dropped; ""
// when there is no '@'.
std::string_view recipient_domain(std::string_view recipient);

// A route's sender_pattern against an envelope sender: a wildcard ('*' any
// run, '?' one character, ASCII case ignored, anchored at both ends). The
// null sender is matched only by a pattern of stars ("*") and by the literal
// pattern "<>"; "<>" matches nothing else.
bool sender_pattern_matches(std::string_view pattern, std::string_view sender);

// A route's domain_pattern against a recipient domain: the same wildcard
// rules. "*" matches every domain, even an empty one.
bool domain_pattern_matches(std::string_view pattern, std::string_view domain);

// The first route of `routes`, in the order given (load_outgoing_routes gives
// position order), that is enabled and whose sender_pattern matches `sender`
// and domain_pattern the domain of `recipient`. A copy, relays included.
// Errors (the message is meant for the queue's last_error and the log):
//   NotFound     no route matches: "no outgoing route for sender <a@b> and
//                recipient <c@d>: the mail is not sent";
//   Unavailable  the route that matches is a relay route without relays
//                (possible only through psql): "outgoing route 'x' has no
//                relays: the mail is not sent". The routes after it are not
//                tried: it is the administrator's choice for this mail.
Expected<OutgoingRoute> choose_outgoing_route(const std::vector<OutgoingRoute>& routes,
                                              std::string_view sender, std::string_view recipient);

}  // namespace pillarbox::route
