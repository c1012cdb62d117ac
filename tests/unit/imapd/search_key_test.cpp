// The IMAP search grammar's keys become the store's: flags by name, dates at
// noon UTC of the day, UID ranges with '*', the session's \Recent set.
#include <catch2/catch.hpp>

#include "daemons/imapd/search_key.hpp"
#include "proto/imap/parser.hpp"

using namespace pillarbox;

namespace {

store::SearchKey convert(const std::string& search, std::vector<std::int64_t> recent = {}) {
  auto cmd = imap::parse_command("a UID SEARCH " + search);
  REQUIRE(cmd);
  return imapd::to_store_key(cmd->as<imap::SearchArgs>().key, recent);
}

}  // namespace

TEST_CASE("flag keys name the flag, UN- keys negate", "[imapd][search]") {
  auto k = convert("UNSEEN");
  REQUIRE(k.kind == store::SearchKey::Kind::And);
  REQUIRE(k.children.size() == 1);
  CHECK(k.children[0].kind == store::SearchKey::Kind::NoFlag);
  CHECK(k.children[0].name == "\\Seen");
  auto kw = convert("KEYWORD $Junk").children.at(0);
  CHECK(kw.kind == store::SearchKey::Kind::Flag);
  CHECK(kw.name == "$Junk");
}

TEST_CASE("dates, sizes, text and nesting", "[imapd][search]") {
  auto k = convert("OR (SINCE 1-Feb-2026 LARGER 100) NOT SUBJECT \"hello world\"");
  REQUIRE(k.children.size() == 1);
  const auto& orr = k.children[0];
  REQUIRE(orr.kind == store::SearchKey::Kind::Or);
  REQUIRE(orr.children.size() == 2);
  const auto& both = orr.children[0];
  REQUIRE(both.children.size() == 2);
  CHECK(both.children[0].kind == store::SearchKey::Kind::Since);
  CHECK(both.children[0].number == 1769947200);  // 2026-02-01T12:00:00Z
  CHECK(both.children[1].kind == store::SearchKey::Kind::Larger);
  CHECK(both.children[1].number == 100);
  const auto& no = orr.children[1];
  REQUIRE(no.kind == store::SearchKey::Kind::Not);
  CHECK(no.children.at(0).kind == store::SearchKey::Kind::Subject);
  CHECK(no.children.at(0).text == "hello world");
}

TEST_CASE("UID sets keep '*'; RECENT takes the session's set", "[imapd][search]") {
  auto k = convert("UID 3:5,9:* RECENT", {7, 8});
  REQUIRE(k.children.size() == 2);
  const auto& uids = k.children[0];
  CHECK(uids.kind == store::SearchKey::Kind::UidSet);
  REQUIRE(uids.uids.size() == 2);
  CHECK(uids.uids[0].first == 3);
  CHECK(uids.uids[0].last == 5);
  CHECK(uids.uids[1].first == 9);
  CHECK(uids.uids[1].last == store::kUidStar);
  const auto& recent = k.children[1];
  CHECK(recent.kind == store::SearchKey::Kind::Recent);
  REQUIRE(recent.uids.size() == 2);
  CHECK(recent.uids[1].first == 8);
}
