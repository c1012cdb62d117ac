// Access rule lists: insert at a position, move, delete with renumbering,
// replace, and the checks on service, network, users and comment.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/access_rules.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

AccessRule rule(const std::string& service, const std::string& network, int position = 0,
                AccessAction action = AccessAction::Allow) {
  AccessRule r;
  r.service = service;
  r.network = network;
  r.position = position;
  r.action = action;
  return r;
}

// The networks of `service` in position order.
std::vector<std::string> networks(test::StoreDb& db, const std::string& service) {
  auto rules = list_access_rules(db.conn, service);
  REQUIRE(rules.ok());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    CHECK(rules->at(i).position == static_cast<int>(i) + 1);
    out.push_back(rules->at(i).network);
  }
  return out;
}

using Nets = std::vector<std::string>;

}  // namespace

TEST_CASE("rules append and insert at a position", "[store][access][db]") {
  test::StoreDb db;
  REQUIRE(add_access_rule(db.conn, rule("pop3", "10.0.0.0/8")).ok());
  REQUIRE(add_access_rule(db.conn, rule("pop3", "any", 0, AccessAction::Deny)).ok());
  REQUIRE(add_access_rule(db.conn, rule("pop3", "192.168.1.1", 1, AccessAction::Deny)).ok());
  REQUIRE(add_access_rule(db.conn, rule("pop3", "fd00::/8", 3)).ok());
  REQUIRE(add_access_rule(db.conn, rule("global", "127.0.0.1")).ok());
  CHECK(networks(db, "pop3") == Nets{"192.168.1.1", "10.0.0.0/8", "fd00::/8", "any"});
  CHECK(networks(db, "global") == Nets{"127.0.0.1"});
  auto out_of_range = add_access_rule(db.conn, rule("pop3", "any", 6));
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.error().message == "position 6 out of range 1-5");
}

TEST_CASE("rules keep every field", "[store][access][db]") {
  test::StoreDb db;
  AccessRule r = rule("smtp", "2001:db8::/32", 0, AccessAction::Allow);
  r.users = {"joe", "kate"};
  r.no_auth = true;
  r.no_global = true;
  r.comment = "branch office";
  auto stored = add_access_rule(db.conn, r);
  REQUIRE(stored.ok());
  CHECK(stored->id > 0);
  auto all = list_access_rules(db.conn, "");
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  const AccessRule& got = all->front();
  CHECK(got.service == "smtp");
  CHECK(got.position == 1);
  CHECK(got.action == AccessAction::Allow);
  CHECK(got.network == "2001:db8::/32");
  CHECK(got.users == std::vector<std::string>{"joe", "kate"});
  CHECK(got.no_auth);
  CHECK(got.no_global);
  CHECK(got.comment == "branch office");
}

TEST_CASE("rules move and delete with renumbering", "[store][access][db]") {
  test::StoreDb db;
  for (const char* n : {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"})
    REQUIRE(add_access_rule(db.conn, rule("imap", n)).ok());
  REQUIRE(move_access_rule(db.conn, "imap", 1, 3).ok());
  CHECK(networks(db, "imap") == Nets{"10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.4"});
  REQUIRE(move_access_rule(db.conn, "imap", 4, 1).ok());
  CHECK(networks(db, "imap") == Nets{"10.0.0.4", "10.0.0.2", "10.0.0.3", "10.0.0.1"});
  REQUIRE(delete_access_rule(db.conn, "imap", 2).ok());
  CHECK(networks(db, "imap") == Nets{"10.0.0.4", "10.0.0.3", "10.0.0.1"});
  CHECK(delete_access_rule(db.conn, "imap", 4).error().code == ErrorCode::NotFound);
  CHECK(move_access_rule(db.conn, "imap", 5, 1).error().code == ErrorCode::NotFound);
  CHECK(move_access_rule(db.conn, "imap", 1, 9).error().code == ErrorCode::InvalidInput);
}

TEST_CASE("a list is replaced whole", "[store][access][db]") {
  test::StoreDb db;
  REQUIRE(add_access_rule(db.conn, rule("admin", "any")).ok());
  REQUIRE(replace_access_rules(db.conn, "admin",
                               {rule("", "192.168.1.1", 0, AccessAction::Deny), rule("", "192.168.1.0/24"),
                                rule("", "127.0.0.1")})
              .ok());
  CHECK(networks(db, "admin") == Nets{"192.168.1.1", "192.168.1.0/24", "127.0.0.1"});
  CHECK_FALSE(replace_access_rules(db.conn, "admin", {rule("", "bogus")}).ok());
  CHECK(networks(db, "admin").size() == 3);  // unchanged after the failure
}

TEST_CASE("bad services networks users and comments are InvalidInput", "[store][access][db]") {
  test::StoreDb db;
  auto svc = add_access_rule(db.conn, rule("ftp", "any"));
  REQUIRE_FALSE(svc.ok());
  CHECK(svc.error().code == ErrorCode::InvalidInput);
  CHECK(svc.error().message == "unknown service 'ftp': use global, smtp, submission, pop3, imap or admin");
  auto net = add_access_rule(db.conn, rule("smtp", "10.0.0.300"));
  REQUIRE_FALSE(net.ok());
  CHECK(net.error().code == ErrorCode::InvalidInput);
  CHECK(net.error().message ==
        "invalid network '10.0.0.300': use 'any', an address or a CIDR subnet (10.0.0.0/8, fd00::/8)");
  AccessRule users = rule("smtp", "any");
  users.users = {"bad user"};
  CHECK(add_access_rule(db.conn, users).error().code == ErrorCode::InvalidInput);
  AccessRule comment = rule("smtp", "any");
  comment.comment = std::string(81, 'c');
  CHECK(add_access_rule(db.conn, comment).error().code == ErrorCode::InvalidInput);
  CHECK(list_access_rules(db.conn, "ftp").error().code == ErrorCode::InvalidInput);
  CHECK(db.count("access_rules") == 0);
}
