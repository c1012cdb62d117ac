// Unit tests for match::wildcard_match: the admin guide's "abracadabra" table,
// case, UTF-8 '?', patterns longer than one 64-bit word, a hostile pattern,
// and a cross-check against a plain dynamic-programming reference.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "libcore/match/wildcard.hpp"

using pillarbox::match::has_wildcard;
using pillarbox::match::wildcard_match;

namespace {

// Reference: O(n*m) table, byte-wise and case-sensitive (tests feed it ASCII
// lowercase only).
bool reference(const std::string& p, const std::string& t) {
  std::vector<std::vector<bool>> dp(p.size() + 1, std::vector<bool>(t.size() + 1, false));
  dp[0][0] = true;
  for (size_t i = 1; i <= p.size(); ++i) {
    dp[i][0] = dp[i - 1][0] && p[i - 1] == '*';
    for (size_t j = 1; j <= t.size(); ++j) {
      if (p[i - 1] == '*') dp[i][j] = dp[i - 1][j] || dp[i][j - 1];
      else dp[i][j] = dp[i - 1][j - 1] && (p[i - 1] == '?' || p[i - 1] == t[j - 1]);
    }
  }
  return dp[p.size()][t.size()];
}

std::string random_string(std::mt19937& rng, const std::string& alphabet, size_t max_len) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

}  // namespace

TEST_CASE("wildcards follow the admin guide abracadabra table", "[wildcard]") {
  struct Row {
    const char* pattern;
    bool matches;
  };
  const Row rows[] = {
      {"cad", false},         {"*cad*", true},       {"abra*", true},
      {"*abra", true},        {"abracadabra*", true}, {"abra*abra", true},
      {"abra???abra", true},  {"abracadabr?", true},  {"abracadabra?", false},
  };
  for (const Row& row : rows) {
    INFO("pattern " << row.pattern);
    CHECK(wildcard_match(row.pattern, "abracadabra") == row.matches);
  }
}

TEST_CASE("wildcards are anchored and case-insensitive", "[wildcard]") {
  CHECK(wildcard_match("ABRA*", "abracadabra"));
  CHECK(wildcard_match("abra*", "ABRACADABRA"));
  CHECK(wildcard_match("*@Example.COM", "Joe@example.com"));
  CHECK_FALSE(wildcard_match("bra", "abracadabra"));
  CHECK_FALSE(wildcard_match("abr", "abracadabra"));
  CHECK(wildcard_match("mark*@mydomain.com", "mark.smith@MyDomain.com"));
  CHECK_FALSE(wildcard_match("mark*@mydomain.com", "mark@mydomain.com.evil.net"));
}

TEST_CASE("wildcards handle empty strings and runs of stars", "[wildcard]") {
  CHECK(wildcard_match("", ""));
  CHECK_FALSE(wildcard_match("", "a"));
  CHECK(wildcard_match("*", ""));
  CHECK(wildcard_match("***", ""));
  CHECK(wildcard_match("*", "anything at all"));
  CHECK_FALSE(wildcard_match("?", ""));
  CHECK(wildcard_match("a**b", "ab"));
  CHECK(wildcard_match("a*?*b", "axb"));
  CHECK_FALSE(wildcard_match("a*?*b", "ab"));
}

TEST_CASE("wildcard question mark is one UTF-8 character", "[wildcard]") {
  CHECK(wildcard_match("j?rg", "j\xc3\xb6rg"));          // jörg
  CHECK_FALSE(wildcard_match("j??rg", "j\xc3\xb6rg"));
  CHECK(wildcard_match("j\xc3\xb6*", "j\xc3\xb6rg"));    // literal non-ASCII
  CHECK_FALSE(wildcard_match("j\xc3\xb6*", "jorg"));
  CHECK(wildcard_match("?", "\xf0\x9f\x93\xae"));        // one 4-byte character
  CHECK(wildcard_match("a?c", "a\xff" "c"));             // an invalid byte counts as one
  CHECK_FALSE(wildcard_match("a?c", "a\xc3" "c" "c"));   // truncated sequence: two characters
}

TEST_CASE("wildcards longer than 64 characters", "[wildcard]") {
  const std::string long_a(100, 'a');
  CHECK(wildcard_match(long_a + "*", long_a + "bbbb"));
  CHECK(wildcard_match("*" + long_a, std::string(150, 'a')));
  CHECK_FALSE(wildcard_match(long_a + "?", long_a));
  CHECK(wildcard_match(std::string(70, '?') + "*x", std::string(90, 'y') + "x"));
  CHECK_FALSE(wildcard_match(std::string(70, '?') + "*x", std::string(60, 'y') + "x"));
}

TEST_CASE("a hostile wildcard runs in linear time", "[wildcard]") {
  // With backtracking this pattern takes exponential time on a long run of 'a'.
  const std::string text(200000, 'a');
  CHECK_FALSE(wildcard_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
  CHECK(wildcard_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", text));
}

TEST_CASE("wildcards agree with a reference on random cases", "[wildcard]") {
  std::mt19937 rng(12345);
  for (int i = 0; i < 4000; ++i) {
    const bool big = i % 10 == 0;
    const std::string p = random_string(rng, "ab*?", big ? 140 : 8);
    const std::string t = random_string(rng, "ab", big ? 160 : 10);
    INFO("pattern '" << p << "' text '" << t << "'");
    REQUIRE(wildcard_match(p, t) == reference(p, t));
  }
}

TEST_CASE("has_wildcard spots star and question mark", "[wildcard]") {
  CHECK(has_wildcard("sa*"));
  CHECK(has_wildcard("a?c@x"));
  CHECK_FALSE(has_wildcard("sales@a.com"));
}
