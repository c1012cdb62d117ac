// Unit tests for Router::build and the router's lookups: bad patterns name
// their mapping, names are case-insensitive, routing domains per source,
// and matching_mappings keeps table order across exact and scanned patterns.
#include <catch2/catch.hpp>

#include "route_cases.hpp"

using namespace route_test;

TEST_CASE("a bad mapping pattern fails the build naming the mapping", "[router]") {
  Table t = base_table();
  add_mapping(t, "sales", "ann");
  add_mapping(t, "/x(/", "ann");
  auto r = Router::build(t);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "mapping 2: regex /x(/: missing closing parenthesis at offset 2");

  Table empty = base_table();
  add_mapping(empty, "", "ann");
  auto e = Router::build(empty);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message == "mapping 1: empty address pattern");
}

TEST_CASE("router lookups are case-insensitive", "[router]") {
  Table t = base_table();
  add_list(t, "Sales", {"joe@a.com"});
  auto r = Router::build(t);
  REQUIRE(r.ok());
  REQUIRE(r->find_account("JOE") != nullptr);
  CHECK(r->find_account("JOE")->name == "joe");
  CHECK(r->find_account("nobody") == nullptr);
  REQUIRE(r->find_list("sales") != nullptr);
  CHECK(r->is_local_domain("A.COM"));
  CHECK_FALSE(r->is_local_domain("collected.org"));
  CHECK(r->routing_domains(Source::Collector).size() == 3);
  CHECK(r->routing_domains(Source::Smtp).size() == 2);
  CHECK(r->table().accounts.size() == t.accounts.size());
}

TEST_CASE("matching mappings come in table order", "[router]") {
  Table t = base_table();
  add_mapping(t, "s*", "ann");          // scanned
  add_mapping(t, "sales@a.com", "ben"); // exact address
  add_mapping(t, "/^sa/", "kate");      // scanned
  add_mapping(t, "sales", "joe");       // exact local part
  add_mapping(t, "~@a.com", "info");    // catch-all
  auto r = Router::build(t);
  REQUIRE(r.ok());
  std::vector<std::string> targets;
  for (const Mapping* m : r->matching_mappings("Sales@a.com", smtp(), false)) targets.push_back(m->target);
  CHECK(targets == std::vector<std::string>{"ann", "ben", "joe"});  // /^sa/ is case-sensitive
  const auto catch_alls = r->matching_mappings("x@a.com", smtp(), true);
  REQUIRE(catch_alls.size() == 1);
  CHECK(catch_alls[0]->target == "info");
}

TEST_CASE("resolve is repeatable on one router", "[router]") {
  Table t = base_table();
  add_mapping(t, "sales", "ann");
  auto r = Router::build(t);
  REQUIRE(r.ok());
  for (int i = 0; i < 3; ++i) {
    auto res = r->resolve("sales@a.com", smtp());
    REQUIRE(res.ok());
    REQUIRE(res->local.size() == 1);
    CHECK(res->local[0] == LocalTarget{3, "ann"});
  }
}
