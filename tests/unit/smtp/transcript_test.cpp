// Replays every golden transcript in tests/data/smtp whole, byte by byte and
// in ragged slices; all three must give exactly the expected lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "transcript.hpp"

using namespace pillarbox::smtp::testing;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void check_transcript(const std::string& name) {
  Transcript t = parse_transcript(read_file(std::string(PILLARBOX_SMTP_TRANSCRIPTS) + "/" + name));
  REQUIRE_FALSE(t.expected.empty());
  std::string expected = join(t.expected);
  CHECK(join(replay(t, Feed::Whole)) == expected);
  CHECK(join(replay(t, Feed::ByteByByte)) == expected);
  CHECK(join(replay(t, Feed::Ragged)) == expected);
}

}  // namespace

#define TRANSCRIPT(name) \
  TEST_CASE("transcript " name, "[smtp][transcript]") { check_transcript(name ".txt"); }

TRANSCRIPT("basic")
TRANSCRIPT("pipelining")
TRANSCRIPT("helo")
TRANSCRIPT("sequence_errors")
TRANSCRIPT("too_many_errors")
TRANSCRIPT("line_too_long")
TRANSCRIPT("size_limits")
TRANSCRIPT("recipients_limit")
TRANSCRIPT("smuggling")
TRANSCRIPT("line_ends")
TRANSCRIPT("starttls")
TRANSCRIPT("starttls_injection")
TRANSCRIPT("submission_auth")
TRANSCRIPT("auth_not_offered")
TRANSCRIPT("auth_trusted_network")
TRANSCRIPT("bdat")
TRANSCRIPT("bdat_errors")
TRANSCRIPT("relay_tricks")
TRANSCRIPT("dsn_params")
TRANSCRIPT("smtputf8")
TRANSCRIPT("hops")
TRANSCRIPT("host_refusals")
TRANSCRIPT("timeout")
TRANSCRIPT("smtps")

// A transcript file without a test case above would silently never run.
TEST_CASE("every transcript file has a test case", "[smtp][transcript]") {
  static const char* const kNames[] = {
      "basic", "pipelining", "helo", "sequence_errors", "too_many_errors", "line_too_long",
      "size_limits", "recipients_limit", "smuggling", "line_ends", "starttls",
      "starttls_injection", "submission_auth", "auth_not_offered", "auth_trusted_network",
      "bdat", "bdat_errors", "relay_tricks", "dsn_params", "smtputf8", "hops",
      "host_refusals", "timeout", "smtps"};
  std::set<std::string> listed;
  for (const char* n : kNames) listed.insert(std::string(n) + ".txt");
  for (const auto& entry : std::filesystem::directory_iterator(PILLARBOX_SMTP_TRANSCRIPTS)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() == ".txt") CHECK(listed.count(file) == 1);
  }
}
