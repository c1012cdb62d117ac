// Per-account forwarding, assistants and size-dependent rules.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/forwarding.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

void make(test::StoreDb& db, const std::string& name) {
  NewAccount a;
  a.name = name;
  REQUIRE(create_account(db.conn, a).ok());
}

}  // namespace

TEST_CASE("forwarding and assistants are stored per account", "[store][forwarding][db]") {
  test::StoreDb db;
  make(db, "mark");
  auto unset = get_forwarding(db.conn, "mark", ForwardKind::Forward);
  REQUIRE(unset.ok());
  CHECK_FALSE(unset->enabled);
  CHECK(unset->addresses.empty());

  Forwarding f;
  f.addresses = {"marc@example.com", "kate"};
  f.enabled = true;
  f.redirect = true;
  f.window.from_date = 20260101;
  f.window.to_minute = 17 * 60;
  REQUIRE(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).ok());
  Forwarding a;
  a.addresses = {"phil"};
  a.enabled = true;
  REQUIRE(set_forwarding(db.conn, "mark", ForwardKind::Assistant, a).ok());

  auto got = get_forwarding(db.conn, "MARK", ForwardKind::Forward);
  REQUIRE(got.ok());
  CHECK(got->addresses == f.addresses);
  CHECK(got->enabled);
  CHECK(got->redirect);
  CHECK(got->window.from_date == 20260101);
  CHECK_FALSE(got->window.to_date.has_value());
  CHECK(got->window.to_minute == 1020);

  f.enabled = false;  // "Use Forwarding" off keeps the addresses
  REQUIRE(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).ok());
  CHECK(get_forwarding(db.conn, "mark", ForwardKind::Forward)->addresses.size() == 2);
  CHECK(get_forwarding(db.conn, "mark", ForwardKind::Assistant)->addresses == std::vector<std::string>{"phil"});
  CHECK(db.count("account_forwarding") == 2);
}

TEST_CASE("forwarding refuses bad addresses dates and times", "[store][forwarding][db]") {
  test::StoreDb db;
  make(db, "mark");
  Forwarding f;
  f.addresses = {"not an address"};
  CHECK(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).error().code == ErrorCode::InvalidInput);
  f.addresses = {"a@example.com"};
  f.window.from_date = 20261301;
  CHECK(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).error().message ==
        "invalid date 20261301: use YYYYMMDD");
  f.window.from_date.reset();
  f.window.from_minute = 1440;
  CHECK(set_forwarding(db.conn, "mark", ForwardKind::Forward, f).error().code == ErrorCode::InvalidInput);
  f.window.from_minute.reset();
  CHECK(set_forwarding(db.conn, "nobody", ForwardKind::Forward, f).error().code == ErrorCode::NotFound);
  CHECK(db.count("account_forwarding") == 0);
}

TEST_CASE("size rules replace each other and keep their order", "[store][forwarding][db]") {
  test::StoreDb db;
  make(db, "mark");
  route::SizeRule big{true, 5000, {"archive@example.com"}, true};
  route::SizeRule small{false, 10, {"phone@example.com", "kate"}, false};
  REQUIRE(set_size_rules(db.conn, "mark", {big, small}).ok());
  auto got = get_size_rules(db.conn, "mark");
  REQUIRE(got.ok());
  REQUIRE(got->size() == 2);
  CHECK(got->at(0).at_least);
  CHECK(got->at(0).kilobytes == 5000);
  CHECK(got->at(0).redirect);
  CHECK(got->at(1).addresses == std::vector<std::string>{"phone@example.com", "kate"});
  REQUIRE(set_size_rules(db.conn, "mark", {small}).ok());
  CHECK(get_size_rules(db.conn, "mark")->size() == 1);
  route::SizeRule bad{true, -1, {"a"}, false};
  CHECK(set_size_rules(db.conn, "mark", {bad}).error().code == ErrorCode::InvalidInput);
}
