// RFC 5322 address lists as ENVELOPE addresses, including the obsolete forms
// and the RFC 5322 Appendix A examples.
#include <catch2/catch.hpp>

#include "proto/mime/address.hpp"

using namespace pillarbox::mime;

namespace {

Address addr(std::optional<std::string> name, std::optional<std::string> adl, std::string mailbox,
             std::string host) {
  return Address{std::move(name), std::move(adl), std::move(mailbox), std::move(host)};
}
Address group_start(std::string name) { return Address{std::nullopt, std::nullopt, std::move(name), std::nullopt}; }
Address group_end() { return Address{}; }

}  // namespace

TEST_CASE("simple forms", "[mime][address]") {
  CHECK(parse_addresses("user@domain") == std::vector{addr(std::nullopt, std::nullopt, "user", "domain")});
  CHECK(parse_addresses("Joe Q. Public <john.q.public@example.com>") ==
        std::vector{addr("Joe Q. Public", std::nullopt, "john.q.public", "example.com")});
  CHECK(parse_addresses("\"Doe, Jane\" <jane@example.com>, <bare@example.com>") ==
        std::vector{addr("Doe, Jane", std::nullopt, "jane", "example.com"),
                    addr(std::nullopt, std::nullopt, "bare", "example.com")});
  CHECK(parse_addresses("\"Quoted \\\"x\\\"\" <q@x>") == std::vector{addr("Quoted \"x\"", std::nullopt, "q", "x")});
  CHECK(parse_addresses("=?utf-8?q?J=C3=B6rg?= <j@x>") == std::vector{addr("=?utf-8?q?J=C3=B6rg?=", std::nullopt, "j", "x")});
}

TEST_CASE("empty values give no addresses", "[mime][address]") {
  CHECK(parse_addresses("").empty());
  CHECK(parse_addresses("   ").empty());
  CHECK(parse_addresses(" , ,").empty());
  CHECK(parse_addresses("(just a comment)").empty());
}

TEST_CASE("comments and routes", "[mime][address]") {
  CHECK(parse_addresses("user@domain (Real Name)") == std::vector{addr("Real Name", std::nullopt, "user", "domain")});
  CHECK(parse_addresses("<@route:user@domain>") == std::vector{addr(std::nullopt, "@route", "user", "domain")});
  CHECK(parse_addresses("Bar <@a.example,@b.example:bar@example.com>") ==
        std::vector{addr("Bar", "@a.example,@b.example", "bar", "example.com")});
  CHECK(parse_addresses("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>") ==
        std::vector{addr("Pete", std::nullopt, "pete", "silly.test")});
  CHECK(parse_addresses("\"john doe\"@example.com") == std::vector{addr(std::nullopt, std::nullopt, "john doe", "example.com")});
  CHECK(parse_addresses("a . b @ c . d") == std::vector{addr(std::nullopt, std::nullopt, "a.b", "c.d")});
  CHECK(parse_addresses("x@[192.0.2.1]") == std::vector{addr(std::nullopt, std::nullopt, "x", "[192.0.2.1]")});
}

TEST_CASE("groups", "[mime][address]") {
  CHECK(parse_addresses("undisclosed-recipients:;") == std::vector{group_start("undisclosed-recipients"), group_end()});
  CHECK(parse_addresses("group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;") ==
        std::vector{group_start("group"), addr(std::nullopt, std::nullopt, "g1", "d1.org"),
                    addr(std::nullopt, std::nullopt, "g2", "d2.org"), group_end(), group_start("group2"),
                    addr(std::nullopt, std::nullopt, "g3", "d3.org"), group_end()});
  CHECK(parse_addresses("group:;, group2: (foo) ;") ==
        std::vector{group_start("group"), group_end(), group_start("group2"), group_end()});
  // An unterminated group still closes.
  CHECK(parse_addresses("team: a@b") ==
        std::vector{group_start("team"), addr(std::nullopt, std::nullopt, "a", "b"), group_end()});
}

TEST_CASE("RFC 5322 appendix A.5 white space and comments", "[mime][address]") {
  CHECK(parse_addresses("A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
                        "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)") ==
        std::vector{group_start("A Group"), addr("Chris Jones", std::nullopt, "c", "public.example"),
                    addr(std::nullopt, std::nullopt, "joe", "example.org"),
                    addr("John", std::nullopt, "jdoe", "one.test"), group_end()});
  CHECK(parse_addresses("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;") ==
        std::vector{group_start("Hidden recipients"), group_end()});
}

TEST_CASE("broken addresses are filled in as Dovecot does", "[mime][address]") {
  CHECK(parse_addresses("foo") == std::vector{addr(std::nullopt, std::nullopt, "foo", "MISSING_DOMAIN")});
  CHECK(parse_addresses("<>") == std::vector{addr(std::nullopt, std::nullopt, "MISSING_MAILBOX", "MISSING_DOMAIN")});
  CHECK(parse_addresses("@example.com") == std::vector{addr(std::nullopt, std::nullopt, "MISSING_MAILBOX", "example.com")});
  CHECK(parse_addresses("Name <unclosed@x") == std::vector{addr("Name", std::nullopt, "unclosed", "x")});
  // Junk never loops and never swallows the next address.
  CHECK(parse_addresses("a@b junk junk, c@d") ==
        std::vector{addr(std::nullopt, std::nullopt, "a", "b"), addr(std::nullopt, std::nullopt, "c", "d")});
  CHECK(parse_addresses(")]\\;>@") .size() >= 1);
}
