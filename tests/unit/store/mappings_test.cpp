// Mappings: every kind of target, the NotFound for unknown ones, duplicates,
// pattern syntax, deletion.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/lists.hpp"
#include "libcore/store/mappings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

route::Mapping mapping(std::string pattern, std::string target,
                       route::MappingType type = route::MappingType::Always) {
  route::Mapping m;
  m.pattern = std::move(pattern);
  m.target = std::move(target);
  m.type = type;
  return m;
}

void fill(test::StoreDb& db) {
  NewAccount a;
  a.name = "joe";
  REQUIRE(create_account(db.conn, a).ok());
  NewList l;
  l.name = "staff";
  REQUIRE(create_list(db.conn, l).ok());
}

}  // namespace

TEST_CASE("mapping targets may be an account a list an address remote or no-one", "[store][mappings][db]") {
  test::StoreDb db;
  fill(db);
  auto first = add_mapping(db.conn, mapping("sales@a.com", "JOE"));
  REQUIRE(first.ok());
  CHECK(first->id > 0);
  CHECK(add_mapping(db.conn, mapping("all", "staff")).ok());
  CHECK(add_mapping(db.conn, mapping("*@b.com", "kate@elsewhere.org", route::MappingType::Smtp)).ok());
  CHECK(add_mapping(db.conn, mapping("partner@a.com", "remote")).ok());
  CHECK(add_mapping(db.conn, mapping("spam*", "No-One")).ok());
  CHECK(add_mapping(db.conn, mapping("/^inv(oice)?s?@/i", "joe", route::MappingType::Pop3)).ok());
  CHECK(add_mapping(db.conn, mapping("~@a.com", "joe", route::MappingType::From)).ok());

  auto all = list_mappings(db.conn);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 7);
  CHECK(all->at(0).pattern == "sales@a.com");
  CHECK(all->at(0).target == "JOE");
  CHECK(all->at(2).type == route::MappingType::Smtp);
  CHECK(all->at(5).type == route::MappingType::Pop3);
  CHECK(all->at(6).type == route::MappingType::From);
}

TEST_CASE("an unknown mapping target is NotFound", "[store][mappings][db]") {
  test::StoreDb db;
  fill(db);
  auto r = add_mapping(db.conn, mapping("sales", "nobody"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::NotFound);
  CHECK(r.error().message ==
        "unknown mapping target 'nobody': not an account, a list, an address, 'remote' or 'no-one'");
  CHECK(db.count("mappings") == 0);
}

TEST_CASE("a duplicate mapping is AlreadyExists and other types are not duplicates", "[store][mappings][db]") {
  test::StoreDb db;
  fill(db);
  REQUIRE(add_mapping(db.conn, mapping("Sales@A.com", "joe")).ok());
  auto again = add_mapping(db.conn, mapping("sales@a.com", "Joe"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::AlreadyExists);
  CHECK(again.error().message == "mapping 'sales@a.com' -> 'Joe' already exists");
  CHECK(add_mapping(db.conn, mapping("sales@a.com", "joe", route::MappingType::Smtp)).ok());
  CHECK(add_mapping(db.conn, mapping("sales@a.com", "staff")).ok());  // several targets all deliver
  // Regular expressions keep their case.
  REQUIRE(add_mapping(db.conn, mapping("/^Bob/", "joe")).ok());
  CHECK(add_mapping(db.conn, mapping("/^bob/", "joe")).ok());
}

TEST_CASE("bad patterns and long comments are InvalidInput", "[store][mappings][db]") {
  test::StoreDb db;
  fill(db);
  CHECK(add_mapping(db.conn, mapping("", "joe")).error().code == ErrorCode::InvalidInput);
  CHECK(add_mapping(db.conn, mapping("a b", "joe")).error().code == ErrorCode::InvalidInput);
  CHECK(add_mapping(db.conn, mapping("/unclosed", "joe")).error().code == ErrorCode::InvalidInput);
  CHECK(add_mapping(db.conn, mapping("/x/q", "joe")).error().code == ErrorCode::InvalidInput);
  auto m = mapping("x", "joe");
  m.comment = std::string(81, 'c');
  CHECK(add_mapping(db.conn, m).error().code == ErrorCode::InvalidInput);
  CHECK(db.count("mappings") == 0);
}

TEST_CASE("mappings are deleted by id or by pattern", "[store][mappings][db]") {
  test::StoreDb db;
  fill(db);
  auto one = add_mapping(db.conn, mapping("a", "joe"));
  REQUIRE(one.ok());
  REQUIRE(add_mapping(db.conn, mapping("b", "joe")).ok());
  REQUIRE(add_mapping(db.conn, mapping("b", "staff")).ok());
  REQUIRE(delete_mapping(db.conn, one->id).ok());
  CHECK(delete_mapping(db.conn, one->id).error().code == ErrorCode::NotFound);
  auto by_target = delete_mappings(db.conn, "B", std::string("staff"));
  REQUIRE(by_target.ok());
  CHECK(*by_target == 1);
  auto rest = delete_mappings(db.conn, "b");
  REQUIRE(rest.ok());
  CHECK(*rest == 1);
  CHECK(delete_mappings(db.conn, "b").error().code == ErrorCode::NotFound);
}
