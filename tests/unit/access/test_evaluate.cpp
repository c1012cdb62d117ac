// evaluate() and user_allowed(): first match decides, the global list after a
// service allow unless NOGLOBAL, users, NOAUTH, IPv6 and mapped clients. Rule
// lists are written in the text form to keep each case readable.
#include <catch2/catch.hpp>

#include "libcore/access/evaluate.hpp"
#include "libcore/access/rule_text.hpp"

using namespace pillarbox::access;

namespace {

RuleSet rules(std::string_view text) {
  auto r = parse_rules(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

std::string users_text(const Decision& d) {
  if (!d.users) return "(all)";
  std::string out;
  for (const auto& u : *d.users) out += (out.empty() ? "" : " ") + u;
  return "{" + out + "}";
}

struct Case {
  const char* name;
  const char* service;
  const char* global;
  const char* client;
  bool allowed;
  const char* deciding;  // format_rule of Decision::rule, "" for none
  bool from_global = false;
  bool no_auth = false;
  const char* users = "(all)";
};

void run(const Case& c) {
  RuleSet service = rules(c.service);
  RuleSet global = rules(c.global);
  Decision d = evaluate(service, global, *IpAddress::parse(c.client));
  CHECK(d.allowed == c.allowed);
  CHECK((d.rule ? format_rule(*d.rule) : std::string()) == c.deciding);
  CHECK(d.from_global == c.from_global);
  CHECK(d.no_auth == c.no_auth);
  CHECK(users_text(d) == c.users);
}

}  // namespace

TEST_CASE("evaluate: first match decides", "[access][evaluate]") {
  const Case cases[] = {
      {"host allow before subnet deny", "ALLOW 192.168.1.7\nDENY 192.168.1.0/24", "", "192.168.1.7", true,
       "ALLOW 192.168.1.7"},
      {"subnet deny still applies to others", "ALLOW 192.168.1.7\nDENY 192.168.1.0/24", "", "192.168.1.8", false,
       "DENY 192.168.1.0/24"},
      {"subnet deny before host allow", "DENY 192.168.1.0/24\nALLOW 192.168.1.7", "", "192.168.1.7", false,
       "DENY 192.168.1.0/24"},
      {"host deny before subnet allow", "DENY 192.168.1.1\nALLOW 192.168.1.0/24\nDENY any", "", "192.168.1.1",
       false, "DENY 192.168.1.1"},
      {"subnet allow after host deny", "DENY 192.168.1.1\nALLOW 192.168.1.0/24\nDENY any", "", "192.168.1.2",
       true, "ALLOW 192.168.1.0/24"},
      {"closing deny any", "DENY 192.168.1.1\nALLOW 192.168.1.0/24\nDENY any", "", "203.0.113.5", false,
       "DENY any"},
      {"no rule matches: allowed as in the legacy text form", "ALLOW 10.0.0.0/8", "", "203.0.113.5", true, ""},
      {"empty lists allow", "", "", "203.0.113.5", true, ""},
      {"allow any", "ALLOW any", "", "203.0.113.5", true, "ALLOW any"},
      {"deny star", "DENY *", "", "2001:db8::5", false, "DENY any"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { run(c); }
  }
}

TEST_CASE("evaluate: the global list after a service allow", "[access][evaluate]") {
  const Case cases[] = {
      {"global deny overrides service allow", "ALLOW 192.168.1.0/24", "DENY 192.168.1.66", "192.168.1.66", false,
       "DENY 192.168.1.66", true},
      {"global deny elsewhere leaves the allow", "ALLOW 192.168.1.0/24", "DENY 192.168.1.66", "192.168.1.5", true,
       "ALLOW 192.168.1.0/24"},
      {"global consulted when the service list matches nothing", "ALLOW 10.0.0.0/8", "DENY 203.0.113.0/24",
       "203.0.113.5", false, "DENY 203.0.113.0/24", true},
      {"global allow decides when the service list matches nothing", "ALLOW 10.0.0.0/8", "ALLOW 203.0.113.0/24",
       "203.0.113.5", true, "ALLOW 203.0.113.0/24", true},
      {"service deny is final even if global allows", "DENY 192.168.1.66", "ALLOW any", "192.168.1.66", false,
       "DENY 192.168.1.66"},
      {"global first match decides too", "ALLOW any", "ALLOW 192.168.1.66\nDENY 192.168.1.0/24", "192.168.1.66",
       true, "ALLOW any"},
      {"global first match deny", "ALLOW any", "ALLOW 192.168.1.66\nDENY 192.168.1.0/24", "192.168.1.67", false,
       "DENY 192.168.1.0/24", true},
      {"NOGLOBAL skips the global list", "NOGLOBAL\nALLOW 192.168.1.0/24", "DENY any", "192.168.1.66", true,
       "ALLOW 192.168.1.0/24"},
      {"NOGLOBAL at the end of the list", "ALLOW 192.168.1.0/24\nNOGLOBAL", "DENY any", "192.168.1.66", true,
       "ALLOW 192.168.1.0/24"},
      {"NOGLOBAL with no service match", "NOGLOBAL\nALLOW 10.0.0.0/8", "DENY any", "203.0.113.5", true, ""},
      {"NOGLOBAL does not undo a service deny", "NOGLOBAL\nDENY any", "ALLOW any", "192.168.1.66", false,
       "DENY any"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { run(c); }
  }
}

TEST_CASE("evaluate: users and NOAUTH", "[access][evaluate]") {
  const Case cases[] = {
      {"LAN: every user", "ALLOW 192.168.1.0/24\nALLOW any fred bob", "", "192.168.1.5", true,
       "ALLOW 192.168.1.0/24"},
      {"elsewhere: only the listed users", "ALLOW 192.168.1.0/24\nALLOW any fred bob", "", "203.0.113.5", true,
       "ALLOW any fred bob", false, false, "{fred bob}"},
      {"global narrows the users", "ALLOW any fred bob", "ALLOW any bob carol", "203.0.113.5", true,
       "ALLOW any fred bob", false, false, "{bob}"},
      {"global users alone", "", "ALLOW any carol", "203.0.113.5", true, "ALLOW any carol", true, false,
       "{carol}"},
      {"disjoint users: nobody", "ALLOW any fred", "ALLOW any carol", "203.0.113.5", true, "ALLOW any fred",
       false, false, "{}"},
      {"NOGLOBAL keeps the service users", "NOGLOBAL\nALLOW any fred", "ALLOW any carol", "203.0.113.5", true,
       "ALLOW any fred", false, false, "{fred}"},
      {"NOAUTH from the LAN", "ALLOW NOAUTH 192.168.1.0/24\nALLOW any", "", "192.168.1.5", true,
       "ALLOW 192.168.1.0/24 NOAUTH", false, true},
      {"no NOAUTH elsewhere", "ALLOW NOAUTH 192.168.1.0/24\nALLOW any", "", "203.0.113.5", true, "ALLOW any"},
      {"NOAUTH lost when the global list denies", "ALLOW 192.168.1.0/24 NOAUTH", "DENY 192.168.1.66",
       "192.168.1.66", false, "DENY 192.168.1.66", true},
      {"NOAUTH never comes from the global list", "", "ALLOW 192.168.1.0/24 NOAUTH", "192.168.1.5", true,
       "ALLOW 192.168.1.0/24 NOAUTH", true},
      {"NOAUTH with users", "ALLOW 10.0.0.0/8 NOAUTH fred", "", "10.1.1.1", true, "ALLOW 10.0.0.0/8 NOAUTH fred",
       false, true, "{fred}"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { run(c); }
  }
}

TEST_CASE("evaluate: IPv6 subnets and hosts and IPv4-mapped clients", "[access][evaluate]") {
  const char* v6 = "DENY 2001:db8:1::5\nALLOW 2001:db8::/32\nALLOW ::1\nDENY any";
  const char* v4 = "ALLOW 192.168.1.0/24\nALLOW 127.0.0.0/8\nDENY any";
  const Case cases[] = {
      {"v6 host deny", v6, "", "2001:db8:1::5", false, "DENY 2001:db8:1::5"},
      {"v6 subnet allow", v6, "", "2001:db8:ffff::1", true, "ALLOW 2001:db8::/32"},
      {"v6 outside the subnet", v6, "", "2001:db9::1", false, "DENY any"},
      {"v6 loopback", v6, "", "::1", true, "ALLOW ::1"},
      {"v6 rules do not match v4", v6, "", "127.0.0.1", false, "DENY any"},
      {"mapped client in a v4 subnet", v4, "", "::ffff:192.168.1.9", true, "ALLOW 192.168.1.0/24"},
      {"mapped loopback", v4, "", "::ffff:127.0.0.1", true, "ALLOW 127.0.0.0/8"},
      {"mapped client outside", v4, "", "::ffff:10.0.0.1", false, "DENY any"},
      {"v4 rules do not match v6", v4, "", "2001:db8::1", false, "DENY any"},
      {"mapped client hits a v4 global deny", "ALLOW any", "DENY 192.168.1.66", "::ffff:192.168.1.66", false,
       "DENY 192.168.1.66", true},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { run(c); }
  }
}

TEST_CASE("user_allowed: case-insensitive and never for a denied address", "[access][evaluate]") {
  RuleSet service = rules("DENY 192.168.1.66\nALLOW 192.168.1.0/24\nALLOW any Fred bob");
  RuleSet none;
  Decision lan = evaluate(service, none, *IpAddress::parse("192.168.1.5"));
  CHECK(user_allowed(lan, "anyone"));

  Decision outside = evaluate(service, none, *IpAddress::parse("203.0.113.5"));
  CHECK(user_allowed(outside, "fred"));
  CHECK(user_allowed(outside, "FRED"));
  CHECK(user_allowed(outside, "Bob"));
  CHECK_FALSE(user_allowed(outside, "alice"));
  CHECK_FALSE(user_allowed(outside, "fre"));
  CHECK_FALSE(user_allowed(outside, ""));

  Decision denied = evaluate(service, none, *IpAddress::parse("192.168.1.66"));
  CHECK_FALSE(user_allowed(denied, "fred"));

  Decision nobody = evaluate(rules("ALLOW any fred"), rules("ALLOW any carol"), *IpAddress::parse("10.0.0.1"));
  CHECK(nobody.allowed);
  CHECK_FALSE(user_allowed(nobody, "fred"));
  CHECK_FALSE(user_allowed(nobody, "carol"));
}

TEST_CASE("evaluate: the deciding rule points into the given lists", "[access][evaluate]") {
  RuleSet service = rules("ALLOW 10.0.0.0/8\nDENY any");
  RuleSet global = rules("DENY 10.0.0.66");
  Decision a = evaluate(service, global, *IpAddress::parse("10.0.0.1"));
  CHECK(a.rule == &service.rules[0]);
  Decision b = evaluate(service, global, *IpAddress::parse("10.0.0.66"));
  CHECK(b.rule == &global.rules[0]);
  Decision c = evaluate(service, global, *IpAddress::parse("11.0.0.1"));
  CHECK(c.rule == &service.rules[1]);
}
