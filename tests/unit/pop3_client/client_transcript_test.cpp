// Replays every golden transcript in tests/data/pop3_client whole, byte by
// byte and in 7-byte slices; all three must give exactly the expected lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "client_transcript.hpp"

using namespace pillarbox::pop3::client::testing;

namespace {

const char* const kNames[] = {
    "apop_login",
    "user_pass",
    "stls",
    "stls_injection",
    "stls_required_missing",
    "stls_refused_opportunistic",
    "auth_cram_md5",
    "auth_plain",
    "auth_plain_long",
    "auth_bad_challenge",
    "login_failure_auth",
    "login_in_use",
    "greeting_refused",
    "cleartext_refused",
    "apop_no_timestamp",
    "uidl",
    "list_stat",
    "retr_dot_stuffing",
    "retr_bare_lf",
    "retr_too_big",
    "top_headers",
    "dele_quit",
    "quit_lost",
    "retr_missing",
    "env",
    "timeout",
    "lost_mid_retr",
    "no_uidl",
    "garbage",
    "unsolicited",
    "queued_before_login",
};

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void check_transcript(const std::string& name) {
  Transcript t =
      parse_transcript(read_file(std::string(PILLARBOX_POP3_CLIENT_TRANSCRIPTS) + "/" + name + ".txt"));
  REQUIRE_FALSE(t.expected.empty());
  std::string expected = join(t.expected);
  CHECK(join(replay(t, Feed::Whole)) == expected);
  CHECK(join(replay(t, Feed::ByteByByte)) == expected);
  CHECK(join(replay(t, Feed::Slices7)) == expected);
}

}  // namespace

#define TRANSCRIPT(name) \
  TEST_CASE("pop3_client: transcript " name, "[pop3_client][transcript]") { check_transcript(name); }

TRANSCRIPT("apop_login")
TRANSCRIPT("user_pass")
TRANSCRIPT("stls")
TRANSCRIPT("stls_injection")
TRANSCRIPT("stls_required_missing")
TRANSCRIPT("stls_refused_opportunistic")
TRANSCRIPT("auth_cram_md5")
TRANSCRIPT("auth_plain")
TRANSCRIPT("auth_plain_long")
TRANSCRIPT("auth_bad_challenge")
TRANSCRIPT("login_failure_auth")
TRANSCRIPT("login_in_use")
TRANSCRIPT("greeting_refused")
TRANSCRIPT("cleartext_refused")
TRANSCRIPT("apop_no_timestamp")
TRANSCRIPT("uidl")
TRANSCRIPT("list_stat")
TRANSCRIPT("retr_dot_stuffing")
TRANSCRIPT("retr_bare_lf")
TRANSCRIPT("retr_too_big")
TRANSCRIPT("top_headers")
TRANSCRIPT("dele_quit")
TRANSCRIPT("quit_lost")
TRANSCRIPT("retr_missing")
TRANSCRIPT("env")
TRANSCRIPT("timeout")
TRANSCRIPT("lost_mid_retr")
TRANSCRIPT("no_uidl")
TRANSCRIPT("garbage")
TRANSCRIPT("unsolicited")
TRANSCRIPT("queued_before_login")

// A transcript file missing from the list above would silently never run.
TEST_CASE("pop3_client: every transcript file is listed", "[pop3_client][transcript]") {
  std::set<std::string> listed;
  for (const char* n : kNames) listed.insert(std::string(n) + ".txt");
  for (const auto& entry : std::filesystem::directory_iterator(PILLARBOX_POP3_CLIENT_TRANSCRIPTS)) {
    if (entry.path().extension() == ".txt") CHECK(listed.count(entry.path().filename().string()) == 1);
  }
}
