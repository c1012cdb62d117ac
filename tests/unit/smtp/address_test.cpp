// Unit tests of path syntax and relay-trick refusal (proto/smtp/address.hpp),
// RFC 5321 §4.1.2 / §4.1.3, RFC 6531.
#include <catch2/catch.hpp>

#include "proto/smtp/address.hpp"
#include "proto/smtp/reply.hpp"

using namespace pillarbox::smtp;

namespace {

// The address a path yields, or "!" + the reply text.
std::string path(std::string_view text, PathRole role = PathRole::Recipient) {
  auto p = parse_path(text, role);
  if (!p) {
    Reply r = reply_for(p.error());
    return "!" + std::to_string(r.code) + " " + r.enhanced + " " + r.text;
  }
  return p->address;
}

const std::string kBadRcpt = "!501 5.1.3 Bad recipient address syntax";

}  // namespace

TEST_CASE("valid recipient paths", "[smtp][address]") {
  CHECK(path("<bob@example.org>") == "bob@example.org");
  CHECK(path("<bob.smith+tag@mail.example.org>") == "bob.smith+tag@mail.example.org");
  CHECK(path("<o'hara/x=y{z}@a-b.example>") == "o'hara/x=y{z}@a-b.example");
  CHECK(path("<\"john doe\"@example.org>") == "\"john doe\"@example.org");
  CHECK(path("<\"a\\\"b\"@example.org>") == "\"a\\\"b\"@example.org");
  CHECK(path("<bob@localhost>") == "bob@localhost");
  CHECK(path("<bob@[192.0.2.1]>") == "bob@[192.0.2.1]");
  CHECK(path("<bob@[IPv6:2001:db8::1]>") == "bob@[IPv6:2001:db8::1]");
  CHECK(path("<bob@[ipv6:1:2:3:4:5:6:7:8]>") == "bob@[ipv6:1:2:3:4:5:6:7:8]");
  CHECK(path("<bob@[IPv6:::ffff:192.0.2.1]>") == "bob@[IPv6:::ffff:192.0.2.1]");
  CHECK(path("<bob@[x-tag:anything]>") == "bob@[x-tag:anything]");
  CHECK(path("<postmaster>") == "postmaster");
  CHECK(path("<PostMaster>") == "PostMaster");
  CHECK(path("<bob@example.org> NOTIFY=NEVER") == "bob@example.org");
  CHECK(parse_path("<bob@example.org> X", PathRole::Recipient)->length == 17);
}

TEST_CASE("invalid recipient paths", "[smtp][address]") {
  for (const char* bad : {"bob@example.org", "<bob@example.org", "<>", "<bob>", "<@>", "<bob@>",
                          "<@example.org>", "<.bob@example.org>", "<bob.@example.org>",
                          "<bob..b@example.org>", "<bob@example..org>", "<bob@.example.org>",
                          "<bob@example.org.>", "<bob@-example.org>", "<bob@example-.org>",
                          "<bob@exa_mple.org>", "<bob smith@example.org>", "<\"bob@example.org>",
                          "<\"a\x01\"@example.org>", "<bob@[192.0.2.256]>", "<bob@[192.0.2]>",
                          "<bob@[IPv6:1:2:3:4:5:6:7]>", "<bob@[IPv6:1::2::3]>",
                          "<bob@[IPv6:1:2:3:4:5:6:7::]>", "<bob@[IPv6:12345::]>",
                          "<bob@[tag:a[b]>", "<bob@[]>", "<postmaster@>", "<\"postmaster\">",
                          "<bob@example.org@x.org>", "<bob\xff@example.org>",
                          "<bob@\xc3\x28.example>"}) {
    INFO(bad);
    CHECK(path(bad) == kBadRcpt);
  }
  CHECK(path("<bob@" + std::string(64, 'a') + ".org>") == kBadRcpt);
  CHECK(path("<bob@" + std::string(63, 'a') + ".org>") == "bob@" + std::string(63, 'a') + ".org");
}

TEST_CASE("relay tricks are refused in recipients", "[smtp][address][relay]") {
  CHECK(path("<bob%other.example@example.org>") ==
        "!550 5.7.1 Relaying not allowed: '%' in the local part");
  CHECK(path("<\"bob%other\"@example.org>") ==
        "!550 5.7.1 Relaying not allowed: '%' in the local part");
  CHECK(path("<other.example!bob@example.org>") ==
        "!550 5.7.1 Relaying not allowed: '!' paths are refused");
  CHECK(path("<host1!host2!bob>") == "!550 5.7.1 Relaying not allowed: '!' paths are refused");
  CHECK(path("<bob%other.example>") == "!550 5.7.1 Relaying not allowed: '%' in the local part");
  CHECK(path("<\"bob@other.example\"@example.org>") ==
        "!550 5.7.1 Relaying not allowed: quoted local part containing '@'");
  CHECK(path("<@example.org:bob@other.example>") ==
        "!550 5.7.1 Relaying not allowed: source routes are refused");
  CHECK(path("<@a.example,@b.example:bob@c.example>") ==
        "!550 5.7.1 Relaying not allowed: source routes are refused");
  auto refused = parse_path("<bob%x@y.org>", PathRole::Recipient);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == pillarbox::ErrorCode::PermissionDenied);
}

TEST_CASE("sender paths allow <> and drop source routes", "[smtp][address]") {
  CHECK(path("<>", PathRole::Sender).empty());
  CHECK(path("<> SIZE=1", PathRole::Sender).empty());
  CHECK(path("<@a.example,@b.example:alice@c.example>", PathRole::Sender) == "alice@c.example");
  CHECK(path("<alice%x@example.net>", PathRole::Sender) == "alice%x@example.net");
  CHECK(path("<postmaster>", PathRole::Sender) == "!501 5.1.7 Bad sender address syntax");
  CHECK(path("<@a.example:>", PathRole::Sender) == "!501 5.1.7 Bad sender address syntax");
  CHECK(path("<@a_b:alice@c.example>", PathRole::Sender) == "!501 5.1.7 Bad sender address syntax");
  CHECK(path("<@a.example,alice@c.example>", PathRole::Sender) ==
        "!501 5.1.7 Bad sender address syntax");
}

TEST_CASE("UTF-8 paths are flagged", "[smtp][address]") {
  auto p = parse_path("<\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a>",
                      PathRole::Recipient);
  REQUIRE(p);
  CHECK(p->utf8);
  auto q = parse_path("<bob@example.org>", PathRole::Recipient);
  REQUIRE(q);
  CHECK_FALSE(q->utf8);
  auto quoted = parse_path("<\"j\xc3\xb6 s\"@example.org>", PathRole::Recipient);
  REQUIRE(quoted);
  CHECK(quoted->utf8);
}

TEST_CASE("domains, literals and UTF-8 well-formedness", "[smtp][address]") {
  CHECK(is_valid_domain("example.org", false));
  CHECK(is_valid_domain("a", false));
  CHECK(is_valid_domain("xn--bcher-kva.example", false));
  CHECK_FALSE(is_valid_domain("b\xc3\xbc" "cher.example", false));
  CHECK(is_valid_domain("b\xc3\xbc" "cher.example", true));
  CHECK_FALSE(is_valid_domain("", false));
  CHECK_FALSE(is_valid_domain(std::string(256, 'a'), false));
  CHECK(is_valid_address_literal("[0.0.0.0]"));
  CHECK(is_valid_address_literal("[IPv6:::]"));
  CHECK(is_valid_address_literal("[IPv6:1:2:3:4:5:6:1.2.3.4]"));
  CHECK_FALSE(is_valid_address_literal("[IPv6:1:2:3:4:5:6:7:1.2.3.4]"));
  CHECK_FALSE(is_valid_address_literal("[IPv6:1.2.3.4:1::]"));
  CHECK_FALSE(is_valid_address_literal("[1.2.3.4.5]"));
  CHECK_FALSE(is_valid_address_literal("[1.2.3.04444]"));
  CHECK(is_valid_utf8("plain"));
  CHECK(is_valid_utf8("\xf0\x9f\x93\xa8"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}
