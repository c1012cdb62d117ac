// load_routing_table returns what the directory functions created.
#include "tests/unit/store/store_fixture.hpp"

#include <ctime>

#include "libcore/store/accounts.hpp"
#include "libcore/store/domains.hpp"
#include "libcore/store/forwarding.hpp"
#include "libcore/store/lists.hpp"
#include "libcore/store/mappings.hpp"
#include "libcore/store/routing_table.hpp"
#include "libcore/store/settings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

TEST_CASE("an empty database gives an empty routing table", "[store][routing][db]") {
  test::StoreDb db;
  auto t = load_routing_table(db.conn);
  REQUIRE(t.ok());
  CHECK(t->local_domains.empty());
  CHECK(t->accounts.empty());
  CHECK(t->catch_all_account.empty());
  CHECK_FALSE(t->disable_default_smtp_mappings);
}

TEST_CASE("load_routing_table returns what was created", "[store][routing][db]") {
  test::StoreDb db;
  REQUIRE(add_domain(db.conn, "example.com", DomainKind::Local).ok());
  REQUIRE(add_domain(db.conn, "example.org", DomainKind::Local).ok());
  REQUIRE(add_domain(db.conn, "*.provider.net", DomainKind::Accepted).ok());

  NewAccount a;
  a.name = "mark";
  auto mark = create_account(db.conn, a);
  a.name = "old";
  a.expires_at = std::time(nullptr) - 3600;
  auto old = create_account(db.conn, a);
  REQUIRE(mark.ok());
  REQUIRE(old.ok());
  Forwarding f;
  f.addresses = {"marc@example.net"};
  f.enabled = true;
  f.redirect = true;
  f.window.from_minute = 480;
  REQUIRE(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).ok());
  Forwarding asst;
  asst.addresses = {"phil"};
  asst.enabled = true;
  asst.window.to_date = 20261231;
  REQUIRE(set_forwarding(db.conn, "mark", ForwardKind::Assistant, asst).ok());
  REQUIRE(set_size_rules(db.conn, "mark", {route::SizeRule{true, 1000, {"big@example.net"}, false}}).ok());

  NewList l;
  l.name = "staff";
  l.members = {"mark", "x@remote.example"};
  l.allow_internet = true;
  REQUIRE(create_list(db.conn, l).ok());
  route::Mapping m;
  m.pattern = "sales@example.com";
  m.target = "staff";
  m.type = route::MappingType::Smtp;
  m.collector_id = 7;
  m.comment = "shop";
  REQUIRE(add_mapping(db.conn, m).ok());
  REQUIRE(set_setting(db.conn, "route.catch_all_account", "\"mark\"").ok());
  REQUIRE(set_setting(db.conn, "route.disable_default_smtp_mappings", "true").ok());

  auto t = load_routing_table(db.conn);
  REQUIRE(t.ok());
  CHECK(t->local_domains == std::vector<std::string>{"example.com", "example.org"});
  CHECK(t->accepted_domains == std::vector<std::string>{"*.provider.net"});
  REQUIRE(t->accounts.size() == 2);
  const route::Account& ma = t->accounts[0];
  CHECK(ma.id == mark->id);
  CHECK(ma.name == "mark");
  CHECK(ma.enabled);
  CHECK(ma.forward_to == std::vector<std::string>{"marc@example.net"});
  CHECK(ma.forward_enabled);
  CHECK(ma.forward_redirect);
  CHECK(ma.forward_window.from_minute == 480);
  CHECK(ma.assistants == std::vector<std::string>{"phil"});
  CHECK(ma.assistants_enabled);
  CHECK_FALSE(ma.assistant_redirect);
  CHECK(ma.assistant_window.to_date == 20261231);
  REQUIRE(ma.size_rules.size() == 1);
  CHECK(ma.size_rules[0].kilobytes == 1000);
  CHECK_FALSE(t->accounts[1].enabled);  // expired
  CHECK(t->accounts[1].forward_to.empty());

  REQUIRE(t->mappings.size() == 1);
  CHECK(t->mappings[0].pattern == "sales@example.com");
  CHECK(t->mappings[0].target == "staff");
  CHECK(t->mappings[0].type == route::MappingType::Smtp);
  CHECK(t->mappings[0].collector_id == std::optional<int64_t>(7));
  CHECK(t->mappings[0].comment == "shop");
  REQUIRE(t->lists.size() == 1);
  CHECK(t->lists[0].name == "staff");
  CHECK(t->lists[0].members == std::vector<std::string>{"mark", "x@remote.example"});
  CHECK(t->lists[0].allow_internet);
  CHECK(t->catch_all_account == "mark");
  CHECK(t->disable_default_smtp_mappings);
  CHECK_FALSE(t->disable_default_collector_mappings);
}
