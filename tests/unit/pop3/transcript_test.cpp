// Replays every golden transcript in tests/data/pop3 whole, byte by byte and
// in ragged slices; all three must give exactly the expected lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "transcript.hpp"

using namespace pillarbox::pop3::testing;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void check_transcript(const std::string& name) {
  Transcript t = parse_transcript(read_file(std::string(PILLARBOX_POP3_TRANSCRIPTS) + "/" + name));
  REQUIRE_FALSE(t.expected.empty());
  std::string expected = join(t.expected);
  CHECK(join(replay(t, Feed::Whole)) == expected);
  CHECK(join(replay(t, Feed::ByteByByte)) == expected);
  CHECK(join(replay(t, Feed::Ragged)) == expected);
}

const char* const kNames[] = {
    "basic",           "pipelining",    "authorization", "transaction_errors", "top",
    "stls",            "stls_injection", "sasl",         "sasl_plain",         "apop",
    "apop_required",   "host_refusals", "line_too_long", "too_many_errors",    "too_many_commands",
    "timeout",         "line_ends",     "pop3s",         "rset",               "quit",
};

}  // namespace

#define TRANSCRIPT(name) \
  TEST_CASE("pop3 transcript " name, "[pop3][transcript]") { check_transcript(name ".txt"); }

TRANSCRIPT("basic")
TRANSCRIPT("pipelining")
TRANSCRIPT("authorization")
TRANSCRIPT("transaction_errors")
TRANSCRIPT("top")
TRANSCRIPT("stls")
TRANSCRIPT("stls_injection")
TRANSCRIPT("sasl")
TRANSCRIPT("sasl_plain")
TRANSCRIPT("apop")
TRANSCRIPT("apop_required")
TRANSCRIPT("host_refusals")
TRANSCRIPT("line_too_long")
TRANSCRIPT("too_many_errors")
TRANSCRIPT("too_many_commands")
TRANSCRIPT("timeout")
TRANSCRIPT("line_ends")
TRANSCRIPT("pop3s")
TRANSCRIPT("rset")
TRANSCRIPT("quit")

// A transcript file without a test case above would silently never run.
TEST_CASE("pop3 every transcript file has a test case", "[pop3][transcript]") {
  std::set<std::string> listed;
  for (const char* n : kNames) listed.insert(std::string(n) + ".txt");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(PILLARBOX_POP3_TRANSCRIPTS)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".txt") continue;
    ++files;
    CHECK(listed.count(file) == 1);
  }
  CHECK(files == listed.size());
}

// The runner itself must be able to fail: a wrong expectation is noticed.
TEST_CASE("pop3 a transcript with a wrong expectation does not match", "[pop3][transcript]") {
  Transcript t = parse_transcript("C: NOOP\nS: +OK\n");
  std::vector<std::string> trace = replay(t, Feed::Whole);
  CHECK(trace ==
        std::vector<std::string>{"S: +OK Pillarbox POP3 ready", "S: -ERR Command not valid before login"});
  CHECK(join(trace) != join(t.expected));
}
