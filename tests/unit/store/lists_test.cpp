// Distribution lists: the shared name space with accounts, member cleaning,
// member changes, deletion taking the list's mappings along.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/lists.hpp"
#include "libcore/store/mappings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

TEST_CASE("a list named like an account is AlreadyExists", "[store][lists][db]") {
  test::StoreDb db;
  NewAccount a;
  a.name = "joe";
  REQUIRE(create_account(db.conn, a).ok());
  NewList l;
  l.name = "Joe";
  auto r = create_list(db.conn, l);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::AlreadyExists);
  CHECK(r.error().message == "'Joe' is already the name of an account");
  l.name = "team";
  REQUIRE(create_list(db.conn, l).ok());
  auto twice = create_list(db.conn, l);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == ErrorCode::AlreadyExists);
  CHECK(twice.error().message == "list 'team' already exists");
}

TEST_CASE("list names and comments follow the account rules", "[store][lists][db]") {
  test::StoreDb db;
  NewList l;
  l.name = "the team";
  auto r = create_list(db.conn, l);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "invalid list name 'the team': use 1-32 letters, digits, '.', '_' or '-'");
  l.name = "team";
  l.comment = std::string(81, 'c');
  CHECK(create_list(db.conn, l).error().code == ErrorCode::InvalidInput);
  l.comment.clear();
  l.members = {"ok@example.com", "not ok"};
  CHECK(create_list(db.conn, l).error().code == ErrorCode::InvalidInput);
  CHECK(db.count("lists") == 0);
}

TEST_CASE("members are trimmed and blanks and repeats dropped", "[store][lists][db]") {
  test::StoreDb db;
  NewList l;
  l.name = "team";
  l.comment = "everyone";
  l.allow_internet = true;
  l.members = {"  joe ", "", "kate@example.com", "   ", "JOE", "bob@example.org"};
  auto made = create_list(db.conn, l);
  REQUIRE(made.ok());
  CHECK(made->members == std::vector<std::string>{"joe", "kate@example.com", "bob@example.org"});
  auto got = get_list(db.conn, "TEAM");
  REQUIRE(got.ok());
  CHECK(got->members == made->members);
  CHECK(got->allow_internet);
  CHECK(got->comment == "everyone");
}

TEST_CASE("members are added removed and replaced", "[store][lists][db]") {
  test::StoreDb db;
  NewList l;
  l.name = "team";
  REQUIRE(create_list(db.conn, l).ok());
  REQUIRE(add_list_member(db.conn, "team", "joe").ok());
  REQUIRE(add_list_member(db.conn, "team", "kate@example.com").ok());
  auto dup = add_list_member(db.conn, "team", "Kate@Example.com");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::AlreadyExists);
  REQUIRE(remove_list_member(db.conn, "team", "JOE").ok());
  CHECK(remove_list_member(db.conn, "team", "joe").error().code == ErrorCode::NotFound);
  CHECK(add_list_member(db.conn, "nolist", "joe").error().code == ErrorCode::NotFound);
  CHECK(get_list(db.conn, "team")->members == std::vector<std::string>{"kate@example.com"});
  REQUIRE(set_list_members(db.conn, "team", {"a@x.org", "b@x.org"}).ok());
  CHECK(get_list(db.conn, "team")->members == std::vector<std::string>{"a@x.org", "b@x.org"});

  ListChanges c;
  c.allow_internet = true;
  REQUIRE(update_list(db.conn, "team", c).ok());
  CHECK(get_list(db.conn, "team")->allow_internet);
  CHECK(update_list(db.conn, "nolist", c).error().code == ErrorCode::NotFound);
}

TEST_CASE("deleting a list deletes its members and its mappings", "[store][lists][db]") {
  test::StoreDb db;
  NewList l;
  l.name = "team";
  l.members = {"a@x.org"};
  REQUIRE(create_list(db.conn, l).ok());
  l.name = "other";
  REQUIRE(create_list(db.conn, l).ok());
  route::Mapping m;
  m.pattern = "everyone";
  m.target = "team";
  REQUIRE(add_mapping(db.conn, m).ok());
  REQUIRE(delete_list(db.conn, "Team").ok());
  CHECK(db.count("mappings") == 0);
  CHECK(db.count("list_members") == 1);
  auto lists = list_lists(db.conn);
  REQUIRE(lists.ok());
  REQUIRE(lists->size() == 1);
  CHECK(lists->at(0).name == "other");
  CHECK(delete_list(db.conn, "team").error().code == ErrorCode::NotFound);
}
