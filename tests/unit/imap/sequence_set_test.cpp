// Unit tests of IMAP sequence sets (proto/imap/sequence_set.hpp): parsing,
// formatting, "*" resolution and compression of UID lists.
#include <catch2/catch.hpp>

#include "proto/imap/sequence_set.hpp"

using namespace pillarbox::imap;

TEST_CASE("imap sequence sets parse and format", "[imap][seqset]") {
  struct Case {
    const char* text;
    std::vector<SeqRange> ranges;
  };
  const Case cases[] = {
      {"1", {{1, 1}}},
      {"*", {{kStar, kStar}}},
      {"1:*", {{1, kStar}}},
      {"*:4", {{kStar, 4}}},
      {"2,4:7,9,12:*", {{2, 2}, {4, 7}, {9, 9}, {12, kStar}}},
      {"7:3", {{7, 3}}},
      {"4294967295", {{4294967295u, 4294967295u}}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto set = parse_sequence_set(c.text);
    REQUIRE(set.ok());
    CHECK(set->ranges == c.ranges);
    CHECK(format_sequence_set(*set) == c.text);
  }
}

TEST_CASE("imap malformed sequence sets", "[imap][seqset]") {
  for (const char* text : {"", "0", "1:0", "01", "1,", ",1", "1::2", "a", "1:", ":1", "4294967296", "1 2", "**", "$"}) {
    INFO(text);
    auto set = parse_sequence_set(text);
    REQUIRE_FALSE(set.ok());
    CHECK(set.error().message == "Invalid sequence set");
  }
}

TEST_CASE("imap sequence set membership resolves star", "[imap][seqset]") {
  auto set = *parse_sequence_set("2,4:6,10:*");
  CHECK_FALSE(set.contains(1, 12));
  CHECK(set.contains(2, 12));
  CHECK(set.contains(5, 12));
  CHECK_FALSE(set.contains(7, 12));
  CHECK(set.contains(12, 12));
  CHECK_FALSE(set.contains(13, 12));
  // "10:*" with * = 8 is 8:10.
  CHECK(set.contains(8, 8));
  CHECK_FALSE(set.contains(3, 7));
  CHECK(set.contains(7, 7));
  CHECK(parse_sequence_set("7:3")->contains(5, 100));
}

TEST_CASE("imap sequence set compression", "[imap][seqset]") {
  CHECK(compress_sequence_set({1, 2, 3, 7, 9, 10}) == "1:3,7,9:10");
  CHECK(compress_sequence_set({5}) == "5");
  CHECK(compress_sequence_set({}).empty());
  CHECK(compress_sequence_set({1, 1, 2, 2, 4}) == "1:2,4");
  CHECK(compress_sequence_set({0, 3, 4}) == "3:4");
  CHECK(compress_sequence_set({4294967294u, 4294967295u}) == "4294967294:4294967295");
}
