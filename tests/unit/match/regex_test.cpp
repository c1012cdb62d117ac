// Unit tests for match::Regex: the admin guide 3.3 examples, flags i s m,
// unanchored search, UTF-8, compile errors with exact messages, and the match
// limits that stop a catastrophic-backtracking pattern.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "libcore/match/regex.hpp"

using pillarbox::ErrorCode;
using pillarbox::match::Regex;

namespace {

bool search(const std::string& slashed, const std::string& text) {
  auto re = Regex::compile(slashed);
  REQUIRE(re.ok());
  return re->search(text);
}

}  // namespace

TEST_CASE("regex examples from admin guide 3.3", "[regex]") {
  struct Row {
    const char* regex;
    const char* text;
    bool matches;
  };
  const Row rows[] = {
      {"/cat/", "concatenate", true},
      {"/1\\+2=3/", "1+2=3", true},
      {"/1\\+2=3/", "12=3", false},
      {"/cad/", "abracadabra", true},  // not anchored
      {"/^cad/", "abracadabra", false},
      {"/^.*cad/", "abracadabra", true},
      {"/^abra/", "abracadabra", true},
      {"/bra$/", "abracadabra", true},
      {"/a?/", "", true},
      {"/a{5}/", "aaaaa", true},
      {"/^a{5}$/", "aaaa", false},
      {"/^a{2,4}$/", "aaa", true},
      {"/[aeiou]/", "rhythm", false},
      {"/[aeiouAEIOU]/", "rhythm And", true},
      {"/[+*\\/-]/", "a-b", true},
      {"/cat|dog/", "hotdog", true},
      {"/there is a (cat|dog) over there./", "there is a dog over there!", true},
      {"/there is a (cat|dog) over there./", "there is a cow over there.", false},
      {"/^(cat)+$/", "catcatcat", true},
      {"/^(cat)+$/", "tac", false},
      {"/\\d/", "room 101", true},
      {"/\\bcad/", "abracadabra", false},
      {"/\\w+@\\w+\\.com/", "mail joe_1@example.com now", true},
  };
  for (const Row& row : rows) {
    INFO(row.regex << " on '" << row.text << "'");
    CHECK(search(row.regex, row.text) == row.matches);
  }
}

TEST_CASE("regex is case-sensitive unless flag i", "[regex]") {
  CHECK_FALSE(search("/sales/", "SALES@a.com"));
  CHECK(search("/sales/i", "SALES@a.com"));
  CHECK(search("/^Sales@/", "Sales@a.com"));
}

TEST_CASE("regex flag s lets dot match newlines", "[regex]") {
  CHECK_FALSE(search("/a.b/", "a\nb"));
  CHECK(search("/a.b/s", "a\nb"));
}

TEST_CASE("regex flag m anchors at line breaks", "[regex]") {
  CHECK_FALSE(search("/^b$/", "a\nb\nc"));
  CHECK(search("/^b$/m", "a\nb\nc"));
  CHECK(search("/^B$/mi", "a\nb\nc"));
}

TEST_CASE("regex works on UTF-8 and tolerates invalid bytes", "[regex]") {
  CHECK(search("/^j.rg$/", "j\xc3\xb6rg"));
  CHECK(search("/a/", "\xff" "a"));
  CHECK_FALSE(search("/b/", "\xff\xfe" "a"));
}

TEST_CASE("regex compile errors are InvalidInput with the PCRE2 reason", "[regex]") {
  auto bad = Regex::compile("/x(/");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::InvalidInput);
  CHECK(bad.error().message == "regex /x(/: missing closing parenthesis at offset 2");

  auto flag = Regex::compile("/abc/q");
  REQUIRE_FALSE(flag.ok());
  CHECK(flag.error().message == "regex /abc/q: unknown flag 'q' (use i, s or m)");

  for (const char* text : {"abc", "/abc", "/", ""}) {
    INFO(text);
    auto r = Regex::compile(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidInput);
  }
  auto huge = Regex::compile("/" + std::string(Regex::kMaxPatternLength + 1, 'a') + "/");
  CHECK_FALSE(huge.ok());
  CHECK(Regex::compile("//").ok());  // the empty pattern matches everything
}

TEST_CASE("a catastrophic regex hits the match limit instead of hanging", "[regex]") {
  auto re = Regex::compile("/^(\\w+\\s?)*$/");
  REQUIRE(re.ok());
  const std::string text = std::string(5000, 'a') + "!";
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(re->search(text));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::seconds(2));  // generous: it is milliseconds
  CHECK(re->search("hello world"));
}

TEST_CASE("regex keeps its text and moves", "[regex]") {
  auto re = Regex::compile("/^x/i");
  REQUIRE(re.ok());
  Regex moved = std::move(*re);
  CHECK(moved.text() == "/^x/i");
  CHECK(moved.search("X1"));
}
