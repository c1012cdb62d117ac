// The directory's input rules (pure): names, comments, domains, addresses,
// and the UTF-8 cleaning applied to parsed message text.
#include <catch2/catch.hpp>

#include <string>

#include "libcore/store/validate.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

TEST_CASE("account names are 1-32 letters digits dot underscore or dash", "[store][validate]") {
  CHECK(check_name("account", "joe").ok());
  CHECK(check_name("account", "J.o_e-9").ok());
  CHECK(check_name("account", std::string(32, 'a')).ok());
  CHECK_FALSE(check_name("account", std::string(33, 'a')).ok());
  CHECK_FALSE(check_name("account", "").ok());
  CHECK_FALSE(check_name("account", "joe@example.com").ok());
  CHECK_FALSE(check_name("account", "j\xC3\xB6rg").ok());
  auto bad = check_name("account", "a b");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::InvalidInput);
  CHECK(bad.error().message == "invalid account name 'a b': use 1-32 letters, digits, '.', '_' or '-'");
}

TEST_CASE("the special mapping targets are reserved names", "[store][validate]") {
  CHECK_FALSE(check_name("account", "remote").ok());
  CHECK_FALSE(check_name("list", "No-One").ok());
  CHECK(is_reserved_target("REMOTE"));
  CHECK_FALSE(is_reserved_target("remotes"));
}

TEST_CASE("comments hold at most 80 characters on one line", "[store][validate]") {
  CHECK(check_comment("").ok());
  CHECK(check_comment(std::string(80, 'x')).ok());
  auto longer = check_comment(std::string(81, 'x'));
  REQUIRE_FALSE(longer.ok());
  CHECK(longer.error().code == ErrorCode::InvalidInput);
  CHECK(longer.error().message == "comment too long: 81 characters, at most 80");
  std::string umlauts;
  for (int i = 0; i < 80; ++i) umlauts += "\xC3\xBC";  // 80 characters, 160 bytes
  CHECK(check_comment(umlauts).ok());
  CHECK_FALSE(check_comment("two\nlines").ok());
}

TEST_CASE("domains are host names and accepted ones may hold wildcards", "[store][validate]") {
  CHECK(check_domain("example.com", false).ok());
  CHECK(check_domain("mail-1.example.co.uk", false).ok());
  CHECK_FALSE(check_domain("", false).ok());
  CHECK_FALSE(check_domain("example..com", false).ok());
  CHECK_FALSE(check_domain(".example.com", false).ok());
  CHECK_FALSE(check_domain("exa mple.com", false).ok());
  CHECK_FALSE(check_domain("*.example.com", false).ok());
  CHECK(check_domain("*.example.com", true).ok());
  CHECK_FALSE(check_domain(std::string(64, 'a') + ".com", false).ok());
}

TEST_CASE("addresses are local names or name at domain without spaces", "[store][validate]") {
  CHECK(check_address("member", "joe").ok());
  CHECK(check_address("member", "joe@example.com").ok());
  CHECK_FALSE(check_address("member", "").ok());
  CHECK_FALSE(check_address("member", "@example.com").ok());
  CHECK_FALSE(check_address("member", "joe@").ok());
  CHECK_FALSE(check_address("member", "<joe@example.com>").ok());
  auto bad = check_address("forward address", "a b@example.com");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "invalid forward address 'a b@example.com': use a local name or name@domain, without spaces");
}

TEST_CASE("to_valid_utf8 keeps valid text and replaces broken sequences", "[store][validate]") {
  CHECK(to_valid_utf8("plain") == "plain");
  CHECK(to_valid_utf8("gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80") == "gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK(to_valid_utf8("a\xFFz") == "a\xEF\xBF\xBDz");
  CHECK(to_valid_utf8("\xC3") == "\xEF\xBF\xBD");                  // truncated
  CHECK(to_valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  CHECK(to_valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(to_valid_utf8(std::string("a\0b", 3)) == "ab");
}
