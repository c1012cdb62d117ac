// Settings get/set/delete/list over the settings table of migration 0001.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/settings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

TEST_CASE("settings are set read listed and deleted as JSON", "[store][settings][db]") {
  test::StoreDb db;
  auto none = get_setting(db.conn, "route.catch_all_account");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  REQUIRE(set_setting(db.conn, "route.catch_all_account", "\"joe\"").ok());
  REQUIRE(set_setting(db.conn, "auth.password_min_length", "8").ok());
  REQUIRE(set_setting(db.conn, "auth.password_min_length", "6").ok());
  auto v = get_setting(db.conn, "auth.password_min_length");
  REQUIRE(v.ok());
  CHECK(v->value() == "6");

  auto all = list_settings(db.conn);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).first == "auth.password_min_length");
  CHECK(all->at(1).second == "\"joe\"");

  REQUIRE(delete_setting(db.conn, "auth.password_min_length").ok());
  auto gone = delete_setting(db.conn, "auth.password_min_length");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ErrorCode::NotFound);
}

TEST_CASE("settings refuse bad JSON and bad keys", "[store][settings][db]") {
  test::StoreDb db;
  auto json = set_setting(db.conn, "smtp.max_size", "{not json");
  REQUIRE_FALSE(json.ok());
  CHECK(json.error().code == ErrorCode::InvalidInput);
  CHECK(json.error().message == "setting smtp.max_size: not valid JSON");
  auto key = set_setting(db.conn, "bad key", "1");
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().code == ErrorCode::InvalidInput);
  CHECK(db.count("settings") == 0);
}
