// Unit tests for libcore/base/expected.hpp: value and error access, moving a
// value out, Expected<void>, and fail(). Wrong-alternative access asserts and
// is deliberately not exercised.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "libcore/base/expected.hpp"

using namespace pillarbox;

namespace {

Expected<int> half(int n) {
  if (n % 2 != 0) return fail(ErrorCode::InvalidInput, "odd number", "n=" + std::to_string(n));
  return n / 2;
}

Expected<void> check_positive(int n) {
  if (n <= 0) return fail(ErrorCode::InvalidInput, "not positive");
  return {};
}

struct Point {
  int x = 0;
  int y = 0;
};

}  // namespace

TEST_CASE("Expected holds a value", "[expected]") {
  Expected<int> r = half(10);
  REQUIRE(r.ok());
  REQUIRE(static_cast<bool>(r));
  CHECK(r.value() == 5);
  CHECK(*r == 5);

  const Expected<int>& cr = r;
  CHECK(cr.value() == 5);
  CHECK(*cr == 5);

  r.value() = 7;
  CHECK(*r == 7);
}

TEST_CASE("Expected holds an error with code message and context", "[expected]") {
  Expected<int> r = half(3);
  REQUIRE_FALSE(r.ok());
  REQUIRE_FALSE(static_cast<bool>(r));
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "odd number");
  CHECK(r.error().context == "n=3");
}

TEST_CASE("Expected operator arrow reaches the value's members", "[expected]") {
  Expected<Point> p = Point{3, 4};
  REQUIRE(p.ok());
  CHECK(p->x == 3);
  p->y = 9;
  const Expected<Point>& cp = p;
  CHECK(cp->y == 9);

  Expected<std::string> s = std::string("hello");
  CHECK(s->size() == 5);
}

TEST_CASE("Expected value can be moved out of an rvalue", "[expected]") {
  auto make = [] { return Expected<std::unique_ptr<int>>(std::make_unique<int>(42)); };
  std::unique_ptr<int> owned = make().value();
  REQUIRE(owned);
  CHECK(*owned == 42);

  Expected<std::vector<int>> v = std::vector<int>{1, 2, 3};
  std::vector<int> taken = std::move(v).value();
  CHECK(taken == std::vector<int>{1, 2, 3});
}

TEST_CASE("Expected of string is not confused with an error", "[expected]") {
  Expected<std::string> ok = std::string("fine");
  REQUIRE(ok.ok());
  CHECK(*ok == "fine");

  Expected<std::string> bad = fail(ErrorCode::NotFound, "no such thing");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::NotFound);
  CHECK(bad.error().message == "no such thing");
  CHECK(bad.error().context.empty());
}

TEST_CASE("Expected void is ok by default and carries an error from fail", "[expected]") {
  Expected<void> good;
  CHECK(good.ok());
  CHECK(static_cast<bool>(good));

  Expected<void> from_function = check_positive(1);
  CHECK(from_function.ok());

  Expected<void> bad = check_positive(0);
  REQUIRE_FALSE(bad.ok());
  REQUIRE_FALSE(static_cast<bool>(bad));
  CHECK(bad.error().code == ErrorCode::InvalidInput);
  CHECK(bad.error().message == "not positive");
}

TEST_CASE("fail builds an Unexpected with every field", "[expected]") {
  Unexpected u = fail(ErrorCode::TooBig, "message too big", "size=100");
  CHECK(u.error.code == ErrorCode::TooBig);
  CHECK(u.error.message == "message too big");
  CHECK(u.error.context == "size=100");

  Unexpected no_context = fail(ErrorCode::Temporary, "later");
  CHECK(no_context.error.context.empty());
}

TEST_CASE("an error is passed along unchanged through Unexpected", "[expected]") {
  auto outer = [](int n) -> Expected<std::string> {
    auto r = half(n);
    if (!r) return Unexpected{r.error()};
    return std::to_string(*r);
  };
  auto good = outer(8);
  REQUIRE(good.ok());
  CHECK(*good == "4");

  auto bad = outer(5);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::InvalidInput);
  CHECK(bad.error().context == "n=5");
}

TEST_CASE("Expected copies and moves keep their alternative", "[expected]") {
  Expected<std::string> a = std::string("abc");
  Expected<std::string> b = a;
  CHECK(*a == "abc");
  CHECK(*b == "abc");

  Expected<std::string> e = fail(ErrorCode::InUse, "locked");
  Expected<std::string> e2 = std::move(e);
  REQUIRE_FALSE(e2.ok());
  CHECK(e2.error().code == ErrorCode::InUse);

  b = e2;
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message == "locked");
}
