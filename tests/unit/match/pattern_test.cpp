// Unit tests for match::Pattern: how text is classified into the five kinds,
// compile errors, and what each kind matches given the local domains.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "libcore/match/pattern.hpp"

using pillarbox::ErrorCode;
using pillarbox::match::domain_listed;
using pillarbox::match::Kind;
using pillarbox::match::Pattern;

namespace {

const std::vector<std::string> kLocal = {"a.com", "b.co.uk"};

bool matches(const char* pattern, const char* address) {
  auto p = Pattern::compile(pattern);
  REQUIRE(p.ok());
  return p->matches(address, kLocal);
}

}  // namespace

TEST_CASE("patterns are classified by their text", "[pattern]") {
  struct Row {
    const char* text;
    Kind kind;
  };
  const Row rows[] = {
      {"a@b.c", Kind::Address},       {"sales", Kind::LocalPart},     {"sa*@b.c", Kind::Wildcard},
      {"sa*", Kind::Wildcard},        {"s?les", Kind::Wildcard},      {"/re/i", Kind::Regex},
      {"~@b.c", Kind::DomainCatchAll}, {"~@", Kind::DomainCatchAll}, {"~@*.b.c", Kind::DomainCatchAll},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto p = Pattern::compile(row.text);
    REQUIRE(p.ok());
    CHECK(p->kind() == row.kind);
    CHECK(p->text() == row.text);
  }
}

TEST_CASE("bad patterns are InvalidInput", "[pattern]") {
  for (const char* text : {"", "joe@", "@a.com", "/x(/", "/abc"}) {
    INFO(text);
    auto p = Pattern::compile(text);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::InvalidInput);
  }
  CHECK(Pattern::compile("/x(/").error().message == "regex /x(/: missing closing parenthesis at offset 2");
}

TEST_CASE("address patterns match that address in any case", "[pattern]") {
  CHECK(matches("sales@a.com", "sales@a.com"));
  CHECK(matches("sales@a.com", "SALES@A.Com"));
  CHECK_FALSE(matches("sales@a.com", "sales@b.co.uk"));
  CHECK(matches("boss@gmail.com", "boss@gmail.com"));  // any domain
}

TEST_CASE("local part patterns match on every local domain only", "[pattern]") {
  CHECK(matches("sales", "sales@a.com"));
  CHECK(matches("sales", "Sales@B.CO.UK"));
  CHECK_FALSE(matches("sales", "sales@gmail.com"));
  CHECK_FALSE(matches("sales", "sales"));
  CHECK_FALSE(matches("sales", "salesman@a.com"));
}

TEST_CASE("wildcard patterns with and without a domain", "[pattern]") {
  // Admin guide 5.3: "s*" -> s_users catches sales@<yourdomain>.
  CHECK(matches("s*", "sales@a.com"));
  CHECK_FALSE(matches("s*", "sales@gmail.com"));
  CHECK(matches("mark*@a.com", "Mark.Jones@a.com"));
  CHECK_FALSE(matches("mark*@a.com", "mark@b.co.uk"));
  CHECK(matches("*@gmail.com", "anyone@gmail.com"));
  CHECK(matches("*", "anyone@a.com"));
  CHECK_FALSE(matches("*", "anyone@gmail.com"));
}

TEST_CASE("regex patterns search the whole address", "[pattern]") {
  CHECK(matches("/^sales@/", "sales@gmail.com"));
  CHECK_FALSE(matches("/^sales@/", "Sales@a.com"));
  CHECK(matches("/^sales@/i", "Sales@a.com"));
  CHECK(matches("/support-[0-9]+@a\\.com$/", "support-42@a.com"));
  CHECK(matches("/les@/", "sales@a.com"));  // unanchored
}

TEST_CASE("domain catch-all patterns match by domain", "[pattern]") {
  CHECK(matches("~@a.com", "whoever@A.COM"));
  CHECK_FALSE(matches("~@a.com", "whoever@b.co.uk"));
  CHECK(matches("~@", "whoever@b.co.uk"));
  CHECK_FALSE(matches("~@", "whoever@gmail.com"));
  CHECK(matches("~@*.a.com", "x@sub.a.com"));
  CHECK_FALSE(matches("~@*.a.com", "x@a.com"));
}

TEST_CASE("domain_listed accepts literal and wildcard entries", "[pattern]") {
  const std::vector<std::string> domains = {"a.com", "*.example.org"};
  CHECK(domain_listed("A.COM", domains));
  CHECK(domain_listed("mail.example.org", domains));
  CHECK_FALSE(domain_listed("example.org", domains));
  CHECK_FALSE(domain_listed("b.com", domains));
  CHECK_FALSE(domain_listed("a.com", {}));
}
