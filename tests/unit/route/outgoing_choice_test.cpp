// Unit tests for the outgoing route choice: sender and domain wildcards (the
// null sender, case, '?'), route order, disabled routes, per-domain and
// per-sender overrides, and the two "not sent" answers with their messages.
#include <catch2/catch.hpp>

#include "libcore/route/outgoing_choice.hpp"

using namespace pillarbox;
using namespace pillarbox::route;

namespace {

OutgoingRoute relay_route(const std::string& name, const std::string& sender, const std::string& domain,
                          const std::string& host) {
  OutgoingRoute r;
  r.name = name;
  r.sender_pattern = sender;
  r.domain_pattern = domain;
  r.method = OutgoingMethod::Relay;
  OutgoingRelay relay;
  relay.position = 1;
  relay.host = host;
  r.relays.push_back(relay);
  return r;
}

OutgoingRoute mx_route(const std::string& name, const std::string& sender = "*", const std::string& domain = "*") {
  OutgoingRoute r;
  r.name = name;
  r.sender_pattern = sender;
  r.domain_pattern = domain;
  r.method = OutgoingMethod::Mx;
  return r;
}

// The name of the route chosen, or "error: <message>".
std::string chosen(const std::vector<OutgoingRoute>& routes, const std::string& sender, const std::string& rcpt) {
  auto r = choose_outgoing_route(routes, sender, rcpt);
  return r ? r->name : "error: " + r.error().message;
}

}  // namespace

TEST_CASE("the null sender is written \"\", \"<>\" or bracketed addresses unwrap", "[outgoing]") {
  CHECK(normalized_sender("") == "");
  CHECK(normalized_sender("<>") == "");
  CHECK(normalized_sender("<joe@example.com>") == "joe@example.com");
  CHECK(normalized_sender("joe@example.com") == "joe@example.com");
}

TEST_CASE("the recipient domain is after the last '@', without a trailing dot", "[outgoing]") {
  CHECK(recipient_domain("joe@example.com") == "example.com");
  CHECK(recipient_domain("\"a@b\"@Example.ORG.") == "Example.ORG");
  CHECK(recipient_domain("postmaster") == "");
}

TEST_CASE("sender patterns are case-insensitive wildcards", "[outgoing]") {
  CHECK(sender_pattern_matches("*", "joe@example.com"));
  CHECK(sender_pattern_matches("*@sales.example.com", "Joe@SALES.Example.com"));
  CHECK_FALSE(sender_pattern_matches("*@sales.example.com", "joe@example.com"));
  CHECK(sender_pattern_matches("joe@example.com", "JOE@example.com"));
  CHECK(sender_pattern_matches("j?e@*", "jae@x.example"));
  CHECK_FALSE(sender_pattern_matches("j?e@*", "je@x.example"));
  CHECK(sender_pattern_matches("*@*.example.com", "a@b.example.com"));
  CHECK(sender_pattern_matches("*@example.com", "<joe@example.com>"));
}

TEST_CASE("the null sender is matched by * and <> only", "[outgoing]") {
  CHECK(sender_pattern_matches("*", ""));
  CHECK(sender_pattern_matches("**", "<>"));
  CHECK(sender_pattern_matches("<>", ""));
  CHECK(sender_pattern_matches("<>", "<>"));
  CHECK_FALSE(sender_pattern_matches("<>", "joe@example.com"));
  CHECK_FALSE(sender_pattern_matches("*@*", ""));
  CHECK_FALSE(sender_pattern_matches("?*", ""));
  CHECK_FALSE(sender_pattern_matches("*@example.com", "<>"));
}

TEST_CASE("domain patterns are case-insensitive wildcards on the domain alone", "[outgoing]") {
  CHECK(domain_pattern_matches("*", "example.com"));
  CHECK(domain_pattern_matches("*", ""));
  CHECK(domain_pattern_matches("example.com", "EXAMPLE.com"));
  CHECK(domain_pattern_matches("*.example.com", "mx.Example.com"));
  CHECK_FALSE(domain_pattern_matches("*.example.com", "example.com"));
  CHECK(domain_pattern_matches("example.??", "example.de"));
  CHECK_FALSE(domain_pattern_matches("example.??", "example.com"));
}

TEST_CASE("the first matching route in order wins", "[outgoing]") {
  const std::vector<OutgoingRoute> routes = {
      relay_route("sales", "*@sales.example.com", "*", "relay-sales.example.net"),
      relay_route("partners", "*", "*.partner.example", "partner-gw.example.net"),
      relay_route("default", "*", "*", "smarthost.example.net"),
      mx_route("never"),
  };
  CHECK(chosen(routes, "joe@sales.example.com", "x@anywhere.example") == "sales");
  CHECK(chosen(routes, "joe@sales.example.com", "x@eu.partner.example") == "sales");
  CHECK(chosen(routes, "joe@example.com", "x@eu.partner.example") == "partners");
  CHECK(chosen(routes, "joe@example.com", "x@partner.example") == "default");
  CHECK(chosen(routes, "", "x@anywhere.example") == "default");

  auto r = choose_outgoing_route(routes, "joe@sales.example.com", "x@y.example");
  REQUIRE(r.ok());
  REQUIRE(r->relays.size() == 1);
  CHECK(r->relays[0].host == "relay-sales.example.net");
}

TEST_CASE("disabled routes are skipped", "[outgoing]") {
  std::vector<OutgoingRoute> routes = {relay_route("first", "*", "*", "a.example.net"), mx_route("direct")};
  routes[0].enabled = false;
  CHECK(chosen(routes, "joe@example.com", "x@example.org") == "direct");
  routes[1].enabled = false;
  CHECK(chosen(routes, "joe@example.com", "x@example.org") ==
        "error: no outgoing route for sender <joe@example.com> and recipient <x@example.org>: the mail is not sent");
}

TEST_CASE("bounces can take their own route", "[outgoing]") {
  const std::vector<OutgoingRoute> routes = {mx_route("bounces", "<>"),
                                             relay_route("users", "*@*", "*", "smarthost.example.net")};
  CHECK(chosen(routes, "", "x@example.org") == "bounces");
  CHECK(chosen(routes, "<>", "x@example.org") == "bounces");
  CHECK(chosen(routes, "joe@example.com", "x@example.org") == "users");
}

TEST_CASE("no route, or no routes at all: nothing is sent, and the error says so", "[outgoing]") {
  auto none = choose_outgoing_route({}, "", "x@example.org");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().message ==
        "no outgoing route for sender <> and recipient <x@example.org>: the mail is not sent");

  const std::vector<OutgoingRoute> routes = {relay_route("sales", "*@sales.example.com", "*", "r.example.net")};
  auto other = choose_outgoing_route(routes, "<joe@example.com>", "x@example.org");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message ==
        "no outgoing route for sender <joe@example.com> and recipient <x@example.org>: the mail is not sent");
}

TEST_CASE("a relay route without relays sends nothing and hides the routes after it", "[outgoing]") {
  std::vector<OutgoingRoute> routes = {relay_route("empty", "*", "*.example.org", "r.example.net"), mx_route("mx")};
  routes[0].relays.clear();
  auto r = choose_outgoing_route(routes, "joe@example.com", "x@www.example.org");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::Unavailable);
  CHECK(r.error().message == "outgoing route 'empty' has no relays: the mail is not sent");
  CHECK(chosen(routes, "joe@example.com", "x@example.com") == "mx");
}
