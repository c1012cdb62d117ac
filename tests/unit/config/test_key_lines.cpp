// KeyLines: the scanner that gives config errors their line numbers. Paths
// for members, array elements and nesting; comments, escapes and strings that
// look like structure must not confuse it.
#include <catch2/catch.hpp>

#include "libcore/config/key_lines.hpp"

using pillarbox::config::KeyLines;
using pillarbox::config::line_of_offset;

TEST_CASE("key lines: members and nesting and array elements", "[config][key_lines]") {
  const char* text =
      "{\n"                              // 1
      "  \"a\": 1,\n"                    // 2
      "  \"b\": {\n"                     // 3
      "    \"c\": [\n"                   // 4
      "      \"x\",\n"                   // 5
      "      { \"d\": true },\n"         // 6
      "      [1, 2]\n"                   // 7
      "    ]\n"                          // 8
      "  }, \"e\": null\n"               // 9
      "}\n";
  KeyLines lines = KeyLines::scan(text);
  CHECK(lines.line("") == 1);
  CHECK(lines.line("a") == 2);
  CHECK(lines.line("b") == 3);
  CHECK(lines.line("b.c") == 4);
  CHECK(lines.line("b.c[0]") == 5);
  CHECK(lines.line("b.c[1]") == 6);
  CHECK(lines.line("b.c[1].d") == 6);
  CHECK(lines.line("b.c[2]") == 7);
  CHECK(lines.line("b.c[2][1]") == 7);
  CHECK(lines.line("e") == 9);
  CHECK(lines.has("b.c[1].d"));
  CHECK_FALSE(lines.has("b.c[3]"));
  CHECK(lines.duplicates().empty());
}

TEST_CASE("key lines: unknown paths fall back to the nearest ancestor", "[config][key_lines]") {
  KeyLines lines = KeyLines::scan("\n\n{\n \"tls\": {\n  \"cert\": \"x\"\n }\n}");
  CHECK(lines.line("tls.key") == 4);
  CHECK(lines.line("tls.cert") == 5);
  CHECK(lines.line("missing") == 3);
  CHECK(lines.line("") == 3);
  CHECK(KeyLines::scan("").line("anything") == 1);
}

TEST_CASE("key lines: comments and strings do not count as structure", "[config][key_lines]") {
  const char* text =
      "// \"fake\": { [\n"                     // 1
      "{ /* \"x\": 1,\n"                       // 2
      "     still a comment } */\n"            // 3
      "  \"s\": \"a, b: {c} [d] // e\",\n"     // 4
      "  \"q\\\"k\": 2, // tail \"z\": 3\n"    // 5
      "  \"n\": -1.5e3\n"                      // 6
      "}\n";
  KeyLines lines = KeyLines::scan(text);
  CHECK(lines.line("s") == 4);
  CHECK(lines.line("q\"k") == 5);
  CHECK(lines.line("n") == 6);
  CHECK_FALSE(lines.has("fake"));
  CHECK_FALSE(lines.has("x"));
  CHECK_FALSE(lines.has("z"));
}

TEST_CASE("key lines: escaped keys decode like nlohmann", "[config][key_lines]") {
  KeyLines lines = KeyLines::scan("{\n\"\\u0041b\\/\": 1,\n\"\\ud83d\\ude00\": 2,\n\"\\u00e9\": 3}");
  CHECK(lines.line("Ab/") == 2);
  CHECK(lines.line("\xF0\x9F\x98\x80") == 3);
  CHECK(lines.line("\xC3\xA9") == 4);
}

TEST_CASE("key lines: a UTF-8 byte order mark is skipped", "[config][key_lines]") {
  KeyLines lines = KeyLines::scan("\xEF\xBB\xBF{\n\"a\": 1}");
  CHECK(lines.line("a") == 2);
}

TEST_CASE("key lines: duplicate keys in one object", "[config][key_lines]") {
  KeyLines lines = KeyLines::scan("{\n\"a\": {\"x\": 1},\n\"b\": {\"x\": 1},\n\"a\": 2\n}");
  REQUIRE(lines.duplicates().size() == 1);
  CHECK(lines.duplicates()[0].path == "a");
  CHECK(lines.duplicates()[0].line == 4);
  CHECK(lines.duplicates()[0].first_line == 2);
  CHECK(lines.line("a") == 4);
}

TEST_CASE("key lines: broken text stops quietly", "[config][key_lines]") {
  CHECK(KeyLines::scan("{\"a\": \"unterminated").line("a") == 1);
  CHECK(KeyLines::scan("{\n\"a\": 1 /* open").line("a") == 2);
  CHECK(KeyLines::scan("}}]]{\"a\\u12").line("a") == 1);
  CHECK(KeyLines::scan("{\"a\": / 1}").line("a") == 1);
}

TEST_CASE("line_of_offset", "[config][key_lines]") {
  CHECK(line_of_offset("abc", 0) == 1);
  CHECK(line_of_offset("a\nb\nc", 2) == 2);
  CHECK(line_of_offset("a\nb\nc", 4) == 3);
  CHECK(line_of_offset("a\nb\n", 1) == 1);  // the newline ends line 1
  CHECK(line_of_offset("a\nb\n", 99) == 2);  // past the end: the last line
  CHECK(line_of_offset("", 5) == 1);
}
