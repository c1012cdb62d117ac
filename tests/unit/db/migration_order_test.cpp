// Unit tests of the pure half of the migrations runner: ordering and
// validation of migration lists, labels, and the embedded list itself.
// Nothing here touches a database.
#include <catch2/catch.hpp>

#include "libcore/db/migrations.hpp"

using pillarbox::ErrorCode;
using pillarbox::db::kMigrations;
using pillarbox::db::Migration;
using pillarbox::db::migration_label;
using pillarbox::db::ordered;

TEST_CASE("ordered sorts migrations by number and keeps their text", "[migrations]") {
  auto r = ordered({{3, "c", "SELECT 3"}, {1, "a", "SELECT 1"}, {10, "j", "SELECT 10"},
                    {2, "b", "SELECT 2"}});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].number == 1);
  CHECK((*r)[1].number == 2);
  CHECK((*r)[2].number == 3);
  CHECK((*r)[3].number == 10);
  CHECK((*r)[3].name == "j");
  CHECK((*r)[3].sql == "SELECT 10");
}

TEST_CASE("ordered accepts an empty list", "[migrations]") {
  auto r = ordered({});
  REQUIRE(r.ok());
  CHECK(r->empty());
}

TEST_CASE("ordered rejects a number used twice", "[migrations]") {
  auto r = ordered({{2, "b", ""}, {1, "a", ""}, {2, "other", ""}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "migration number 2 is used twice (0002_b, 0002_other)");
}

TEST_CASE("ordered rejects numbers below 1", "[migrations]") {
  auto zero = ordered({{1, "a", ""}, {0, "zero", ""}});
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().code == ErrorCode::InvalidInput);
  CHECK(zero.error().message == "migration 0000_zero: number must be 1 or more");

  auto negative = ordered({{-3, "neg", ""}});
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("migration_label pads the number to four digits", "[migrations]") {
  CHECK(migration_label({2, "accounts", ""}) == "0002_accounts");
  CHECK(migration_label({12345, "big", ""}) == "12345_big");
}

TEST_CASE("the embedded migrations are valid and numbered 1..N", "[migrations]") {
  auto r = ordered(kMigrations);
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->empty());
  for (std::size_t i = 0; i < r->size(); ++i) {
    INFO(migration_label((*r)[i]));
    CHECK((*r)[i].number == static_cast<int>(i + 1));
    CHECK_FALSE((*r)[i].sql.empty());
  }
  CHECK((*r)[0].name == "settings");
  CHECK((*r)[0].sql.find("CREATE TABLE settings") != std::string::npos);
}
