// Local and accepted domains: add, duplicates ignoring case, delete, list.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/domains.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

TEST_CASE("domains are added listed and deleted by kind", "[store][domains][db]") {
  test::StoreDb db;
  REQUIRE(add_domain(db.conn, "example.com", DomainKind::Local, "main").ok());
  REQUIRE(add_domain(db.conn, "example.com", DomainKind::Accepted).ok());
  REQUIRE(add_domain(db.conn, "*.example.net", DomainKind::Accepted).ok());
  REQUIRE(add_domain(db.conn, "b.example", DomainKind::Local).ok());

  auto all = list_domains(db.conn);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 4);
  CHECK(all->at(0).name == "b.example");
  CHECK(all->at(1).name == "example.com");
  CHECK(all->at(1).comment == "main");
  CHECK(all->at(2).kind == DomainKind::Accepted);

  REQUIRE(delete_domain(db.conn, "EXAMPLE.com", DomainKind::Local).ok());
  CHECK(db.count("domains") == 3);
  auto missing = delete_domain(db.conn, "example.com", DomainKind::Local);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
}

TEST_CASE("a domain twice of one kind is AlreadyExists ignoring case", "[store][domains][db]") {
  test::StoreDb db;
  REQUIRE(add_domain(db.conn, "example.com", DomainKind::Local).ok());
  auto again = add_domain(db.conn, "Example.COM", DomainKind::Local);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::AlreadyExists);
  CHECK(again.error().message == "local domain 'Example.COM' already exists");
}

TEST_CASE("bad domain names and long comments are InvalidInput", "[store][domains][db]") {
  test::StoreDb db;
  CHECK(add_domain(db.conn, "bad domain", DomainKind::Local).error().code == ErrorCode::InvalidInput);
  CHECK(add_domain(db.conn, "*.example.com", DomainKind::Local).error().code == ErrorCode::InvalidInput);
  CHECK(add_domain(db.conn, "example.com", DomainKind::Local, std::string(81, 'c')).error().code ==
        ErrorCode::InvalidInput);
  CHECK(db.count("domains") == 0);
}
