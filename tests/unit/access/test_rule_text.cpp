// The text form: the seeds' legacy examples, the modern ALLOW/DENY lines,
// NOGLOBAL, NOAUTH, comments, errors with line numbers, the format/parse
// round trip, and check_rules per service.
#include <catch2/catch.hpp>

#include "libcore/access/rule_text.hpp"

using namespace pillarbox::access;

namespace {

std::string problem(std::string_view text) {
  auto r = parse_rules(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == pillarbox::ErrorCode::InvalidInput);
  return r.error().message;
}

std::string reformat(std::string_view text) {
  auto r = parse_rules(text);
  INFO(text);
  REQUIRE(r.ok());
  std::string once = format_rules(*r);
  auto again = parse_rules(once);
  REQUIRE(again.ok());
  CHECK(*again == *r);  // parse(format(x)) == x
  CHECK(format_rules(*again) == once);
  return once;
}

}  // namespace

TEST_CASE("rule text: the seed's VPOP3 2.4 example", "[access][text]") {
  // Seed 001: "!192.168.0.1 / 192.168.0.0 255.255.0.0 / 0.0.0.0 0.0.0.0 fred bob".
  auto r = parse_rules("!192.168.0.1\n192.168.0.0 255.255.0.0\n0.0.0.0 0.0.0.0 fred bob\n");
  REQUIRE(r.ok());
  REQUIRE(r->rules.size() == 3);
  CHECK(r->rules[0] == Rule{Action::Deny, *Network::parse("192.168.0.1"), {}, false, ""});
  CHECK(r->rules[1] == Rule{Action::Allow, *Network::parse("192.168.0.0/16"), {}, false, ""});
  CHECK(r->rules[2] == Rule{Action::Allow, Network::any(), {"fred", "bob"}, false, ""});
  CHECK_FALSE(r->no_global);
  CHECK(reformat("!192.168.0.1\n192.168.0.0 255.255.0.0\n0.0.0.0 0.0.0.0 fred bob\n") ==
        "DENY 192.168.0.1\nALLOW 192.168.0.0/16\nALLOW any fred bob\n");
}

TEST_CASE("rule text: the seeds' other examples round trip", "[access][text]") {
  const std::pair<const char*, const char*> cases[] = {
      // Seed 001: "add a line saying NOGLOBAL".
      {"NOGLOBAL\n!192.168.0.1\n192.168.0.0 255.255.0.0", "NOGLOBAL\nDENY 192.168.0.1\nALLOW 192.168.0.0/16\n"},
      {"!192.168.0.1\nNOGLOBAL\n", "NOGLOBAL\nDENY 192.168.0.1\n"},
      // Seed 000: the VPOP3 1.4.3 default ranges 10.x.y.z, 127.x.y.z, 172.16.x.y, 192.168.x.y.
      {"10.0.0.0 255.0.0.0\n127.0.0.0 255.0.0.0\n172.16.0.0 255.255.0.0\n192.168.0.0 255.255.0.0",
       "ALLOW 10.0.0.0/8\nALLOW 127.0.0.0/8\nALLOW 172.16.0.0/16\nALLOW 192.168.0.0/16\n"},
      // Seed 001, VPOP3 2.5+: single host, CIDR subnet, all addresses; DENY or ALLOW.
      {"ALLOW 192.168.0.0/24\nDENY 192.168.1.1\nALLOW any", "ALLOW 192.168.0.0/24\nDENY 192.168.1.1\nALLOW any\n"},
      {"allow 192.168.0.0/24 NOAUTH\ndeny any", "ALLOW 192.168.0.0/24 NOAUTH\nDENY any\n"},
      {"ALLOW NOAUTH 10.0.0.0/8 fred", "ALLOW 10.0.0.0/8 NOAUTH fred\n"},
      {"ALLOW 10.0.0.0/8 fred noauth bob", "ALLOW 10.0.0.0/8 NOAUTH fred bob\n"},
      {"ALLOW 2001:DB8::/32 # branch office\nALLOW ::1 #loopback",
       "ALLOW 2001:db8::/32 # branch office\nALLOW ::1 # loopback\n"},
      {"# a whole-line comment\n\n   \r\nDENY 192.168.1.1\t# gateway\r\n", "DENY 192.168.1.1 # gateway\n"},
      {"  !  192.168.0.1  ", "DENY 192.168.0.1\n"},
      {"*", "ALLOW any\n"},
      {"192.168.1.0/24 fred", "ALLOW 192.168.1.0/24 fred\n"},
      {"NoGlobal", "NOGLOBAL\n"},
      {"", ""},
  };
  for (const auto& [in, out] : cases) {
    DYNAMIC_SECTION(in) { CHECK(reformat(in) == out); }
  }
}

TEST_CASE("rule text: comments and users are kept", "[access][text]") {
  auto r = parse_rules("ALLOW NOAUTH 192.168.1.0/24 fred Bob   #  LAN # office \n");
  REQUIRE(r.ok());
  REQUIRE(r->rules.size() == 1);
  const Rule& rule = r->rules[0];
  CHECK(rule.action == Action::Allow);
  CHECK(rule.no_auth);
  CHECK(rule.users == std::vector<std::string>{"fred", "Bob"});
  CHECK(rule.comment == "LAN # office");
  CHECK(format_rule(rule) == "ALLOW 192.168.1.0/24 NOAUTH fred Bob # LAN # office");
}

TEST_CASE("rule text: a built rule set round trips", "[access][text]") {
  RuleSet set;
  set.no_global = true;
  set.rules.push_back({Action::Deny, *Network::parse("fe80::1"), {}, false, "gateway"});
  set.rules.push_back({Action::Allow, *Network::parse("fd12:3456:789a:1::/64"), {"a.b", "c_d", "e-f"}, true, ""});
  set.rules.push_back({Action::Allow, *Network::parse("::ffff:10.0.0.0/104"), {}, false, "mapped"});
  set.rules.push_back({Action::Deny, Network::any(), {}, false, "everything else"});
  std::string text = format_rules(set);
  CHECK(text ==
        "NOGLOBAL\nDENY fe80::1 # gateway\nALLOW fd12:3456:789a:1::/64 NOAUTH a.b c_d e-f\n"
        "ALLOW 10.0.0.0/8 # mapped\nDENY any # everything else\n");
  auto back = parse_rules(text);
  REQUIRE(back.ok());
  CHECK(*back == set);
}

TEST_CASE("rule text: errors name the line and the problem", "[access][text]") {
  CHECK(problem("ALLOW 192.168.1.300") == "line 1: bad address \"192.168.1.300\": not an IPv4 or IPv6 address");
  CHECK(problem("ALLOW 10.0.0.0/8\nDENY 10.0.0.1/8") ==
        "line 2: bad network \"10.0.0.1/8\": host bits are set (the network is 10.0.0.0/8)");
  CHECK(problem("\n\nALLOW 10.0.0.0/33") == "line 3: bad network \"10.0.0.0/33\": an IPv4 prefix must be 0..32");
  CHECK(problem("ALLOW") == "line 1: missing network after ALLOW (expected \"any\", an address or ADDRESS/PREFIX)");
  CHECK(problem("deny NOAUTH") ==
        "line 1: missing network after deny (expected \"any\", an address or ADDRESS/PREFIX)");
  CHECK(problem("DENY 10.0.0.0/8 fred") == "line 1: users can only be named on ALLOW rules");
  CHECK(problem("!10.0.0.0/8 fred") == "line 1: users can only be named on ALLOW rules");
  CHECK(problem("DENY NOAUTH any") == "line 1: NOAUTH can only be given on ALLOW rules");
  CHECK(problem("ALLOW any fred!") ==
        "line 1: bad user name \"fred!\" (1 to 32 letters, digits, '.', '_' or '-')");
  CHECK(problem("ALLOW any " + std::string(33, 'a')) ==
        "line 1: bad user name \"" + std::string(33, 'a') + "\" (1 to 32 letters, digits, '.', '_' or '-')");
  CHECK(problem("NOGLOBAL please") == "line 1: NOGLOBAL stands alone on its line");
  CHECK(problem("ALOW 1.2.3.4") == "line 1: unknown keyword \"ALOW\" (expected ALLOW, DENY, NOGLOBAL or an address)");
  CHECK(problem("!") == "line 1: missing address after '!'");
  CHECK(problem("192.168.0.0 255.0.255.0") ==
        "line 1: bad network \"192.168.0.0 255.0.255.0\": the mask bits must be contiguous");
  CHECK(problem("192.168.1.0 255.255.0.0") ==
        "line 1: bad network \"192.168.1.0 255.255.0.0\": host bits are set (the network is 192.168.0.0/16)");
}

TEST_CASE("rule text: check_rules per service", "[access][text]") {
  RuleSet lan = *parse_rules("ALLOW NOAUTH 192.168.1.0/24\nDENY any");
  CHECK(check_rules(lan, Service::Smtp).ok());
  CHECK(check_rules(lan, Service::Submission).ok());
  auto imap = check_rules(lan, Service::Imap);
  REQUIRE_FALSE(imap.ok());
  CHECK(imap.error().message == "rule 1: NOAUTH is only meaningful for smtp and submission, not imap");
  CHECK_FALSE(check_rules(lan, Service::Global).ok());

  RuleSet skip = *parse_rules("NOGLOBAL\nALLOW any");
  CHECK(check_rules(skip, Service::Pop3).ok());
  auto global = check_rules(skip, Service::Global);
  REQUIRE_FALSE(global.ok());
  CHECK(global.error().message == "NOGLOBAL belongs in a service list, not in the global list");

  RuleSet built;
  built.rules.push_back({Action::Allow, Network::any(), {"NoAuth"}, false, ""});
  built.rules.push_back({Action::Allow, Network::any(), {}, false, "two\nlines"});
  auto bad = check_rules(built, Service::Imap);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "rule 1: NOAUTH is a keyword, not a user name");
  built.rules.erase(built.rules.begin());
  CHECK(check_rules(built, Service::Imap).error().message == "rule 1: a rule comment must be a single line");
}
