// The RCPT decision by table: who may relay, what local recipients need, and
// the exact replies (REQUIREMENTS.md: "Relaying not allowed! Bad sender IP
// address"; Postfix-style "User unknown in local recipient table").
#include <catch2/catch.hpp>

#include "daemons/smtpd/recipient_policy.hpp"

using namespace pillarbox;
using namespace pillarbox::smtpd;

namespace {

route::Router router() {
  route::Table t;
  t.local_domains = {"example.com"};
  route::Account joe;
  joe.id = 7;
  joe.name = "joe";
  t.accounts.push_back(joe);
  route::List staff;
  staff.id = 1;
  staff.name = "staff";
  staff.members = {"joe"};
  staff.allow_internet = false;
  t.lists.push_back(staff);
  auto r = route::Router::build(std::move(t));
  REQUIRE(r);
  return std::move(*r);
}

ClientStanding untrusted() { return {}; }
ClientStanding trusted() { return {false, true, false}; }
ClientStanding trusted_no_auth() { return {false, true, true}; }
ClientStanding authenticated() { return {true, false, false}; }

std::string reply_line(const RcptDecision& d) {
  return d.refusal ? std::to_string(d.refusal->code) + " " + d.refusal->enhanced + " " + d.refusal->text : "ok";
}

}  // namespace

TEST_CASE("relaying needs authentication or a trusting rule", "[smtpd][policy]") {
  auto r = router();
  route::Context ctx;
  const RelaySettings open_settings{false, true};
  const RelaySettings require_auth{true, true};
  struct Case {
    ClientStanding client;
    RelaySettings settings;
    bool relays;
  } cases[] = {
      {untrusted(), open_settings, false},      {trusted(), open_settings, true},
      {trusted_no_auth(), open_settings, true}, {authenticated(), open_settings, true},
      {untrusted(), require_auth, false},       {trusted(), require_auth, false},
      {trusted_no_auth(), require_auth, true},  {authenticated(), require_auth, true},
  };
  for (const auto& c : cases) {
    auto d = decide_recipient(r, "friend@remote.example", ctx, c.client, c.settings);
    INFO("authenticated=" << c.client.authenticated << " trusted=" << c.client.trusted
                          << " no_auth=" << c.client.no_auth << " require_auth=" << c.settings.require_auth);
    if (c.relays) {
      CHECK(reply_line(d) == "ok");
      CHECK(d.targets.remote == std::vector<std::string>{"friend@remote.example"});
    } else {
      CHECK(reply_line(d) == "550 5.7.1 Relaying not allowed! Bad sender IP address");
    }
  }
}

TEST_CASE("local recipients: accepted from anywhere unless authentication is required for them too",
          "[smtpd][policy]") {
  auto r = router();
  route::Context ctx;
  auto d = decide_recipient(r, "joe@example.com", ctx, untrusted(), {false, true});
  REQUIRE(reply_line(d) == "ok");
  REQUIRE(d.targets.local.size() == 1);
  CHECK(d.targets.local[0].account_id == 7);
  CHECK(reply_line(decide_recipient(r, "JOE@Example.COM", ctx, untrusted(), {true, true})) == "ok");
  CHECK(reply_line(decide_recipient(r, "joe@example.com", ctx, untrusted(), {true, false})) ==
        "530 5.7.0 Authentication required");
  CHECK(reply_line(decide_recipient(r, "joe@example.com", ctx, authenticated(), {true, false})) == "ok");
  CHECK(reply_line(decide_recipient(r, "joe@example.com", ctx, trusted_no_auth(), {true, false})) == "ok");
}

TEST_CASE("routing refusals become RCPT replies", "[smtpd][policy]") {
  auto r = router();
  route::Context outside;
  CHECK(reply_line(decide_recipient(r, "nobody@example.com", outside, untrusted(), {})) ==
        "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table");
  CHECK(reply_line(decide_recipient(r, "staff@example.com", outside, untrusted(), {})) ==
        "550 5.7.1 <staff@example.com>: Recipient address rejected: list staff is for internal senders only");
  route::Context inside;
  inside.sender_internal = true;
  CHECK(reply_line(decide_recipient(r, "staff@example.com", inside, authenticated(), {})) == "ok");
}

TEST_CASE("<postmaster> without a domain is postmaster at the first local domain", "[smtpd][policy]") {
  route::Table t;
  t.local_domains = {"example.com", "example.org"};
  route::Account admin;
  admin.id = 1;
  admin.name = "admin";
  t.accounts.push_back(admin);
  route::Mapping m;
  m.id = 1;
  m.pattern = "postmaster";
  m.target = "admin";
  t.mappings.push_back(m);
  auto r = route::Router::build(std::move(t));
  REQUIRE(r);
  for (const char* rcpt : {"postmaster", "Postmaster", "postmaster@example.org"}) {
    auto d = decide_recipient(*r, rcpt, route::Context{}, ClientStanding{}, RelaySettings{});
    INFO(rcpt);
    REQUIRE(reply_line(d) == "ok");
    REQUIRE(d.targets.local.size() == 1);
    CHECK(d.targets.local[0].account == "admin");
  }
}
