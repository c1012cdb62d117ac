// Replays every golden transcript in tests/data/smtp_client whole, byte by
// byte and in ragged slices; all three must give exactly the expected lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "client_transcript.hpp"

using namespace pillarbox::smtp::client::testing;

namespace {

const char* const kNames[] = {
    "basic",
    "pipelining",
    "no_pipelining",
    "helo_fallback",
    "starttls_required",
    "starttls_opportunistic",
    "starttls_refused",
    "starttls_not_offered",
    "starttls_injection",
    "auth_plain",
    "auth_plain_long",
    "auth_login",
    "auth_cram_md5",
    "auth_failure",
    "auth_no_mechanism",
    "auth_bad_challenge",
    "dsn_passed",
    "dsn_dropped",
    "eightbit_smtputf8",
    "smtputf8_refused",
    "eightbit_refused",
    "size_param",
    "size_refused",
    "mixed_recipients",
    "mixed_recipients_no_pipelining",
    "all_recipients_refused",
    "all_recipients_refused_pipelined",
    "mail_refused_pipelined",
    "data_refused",
    "final_dot_451",
    "two_transactions",
    "rset_after_failure",
    "greeting_421",
    "greeting_554",
    "connect_failed",
    "lost_mid_data",
    "lost_after_dot",
    "timeout",
    "dot_stuffing",
    "reply_framing",
    "garbage_reply",
    "server_421",
    "idle_reuse",
};

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

void check_transcript(const std::string& name) {
  Transcript t = parse_transcript(read_file(std::string(PILLARBOX_SMTP_CLIENT_TRANSCRIPTS) + "/" + name + ".txt"));
  REQUIRE_FALSE(t.expected.empty());
  std::string expected = join(t.expected);
  CHECK(join(replay(t, Feed::Whole)) == expected);
  CHECK(join(replay(t, Feed::ByteByByte)) == expected);
  CHECK(join(replay(t, Feed::Ragged)) == expected);
}

}  // namespace

#define TRANSCRIPT(name) \
  TEST_CASE("smtp_client: transcript " name, "[smtp_client][transcript]") { check_transcript(name); }

TRANSCRIPT("basic")
TRANSCRIPT("pipelining")
TRANSCRIPT("no_pipelining")
TRANSCRIPT("helo_fallback")
TRANSCRIPT("starttls_required")
TRANSCRIPT("starttls_opportunistic")
TRANSCRIPT("starttls_refused")
TRANSCRIPT("starttls_not_offered")
TRANSCRIPT("starttls_injection")
TRANSCRIPT("auth_plain")
TRANSCRIPT("auth_plain_long")
TRANSCRIPT("auth_login")
TRANSCRIPT("auth_cram_md5")
TRANSCRIPT("auth_failure")
TRANSCRIPT("auth_no_mechanism")
TRANSCRIPT("auth_bad_challenge")
TRANSCRIPT("dsn_passed")
TRANSCRIPT("dsn_dropped")
TRANSCRIPT("eightbit_smtputf8")
TRANSCRIPT("smtputf8_refused")
TRANSCRIPT("eightbit_refused")
TRANSCRIPT("size_param")
TRANSCRIPT("size_refused")
TRANSCRIPT("mixed_recipients")
TRANSCRIPT("mixed_recipients_no_pipelining")
TRANSCRIPT("all_recipients_refused")
TRANSCRIPT("all_recipients_refused_pipelined")
TRANSCRIPT("mail_refused_pipelined")
TRANSCRIPT("data_refused")
TRANSCRIPT("final_dot_451")
TRANSCRIPT("two_transactions")
TRANSCRIPT("rset_after_failure")
TRANSCRIPT("greeting_421")
TRANSCRIPT("greeting_554")
TRANSCRIPT("connect_failed")
TRANSCRIPT("lost_mid_data")
TRANSCRIPT("lost_after_dot")
TRANSCRIPT("timeout")
TRANSCRIPT("dot_stuffing")
TRANSCRIPT("reply_framing")
TRANSCRIPT("garbage_reply")
TRANSCRIPT("server_421")
TRANSCRIPT("idle_reuse")

// A transcript file missing from the list above would silently never run.
TEST_CASE("smtp_client: every transcript file is listed", "[smtp_client][transcript]") {
  std::set<std::string> listed;
  for (const char* n : kNames) listed.insert(std::string(n) + ".txt");
  for (const auto& entry : std::filesystem::directory_iterator(PILLARBOX_SMTP_CLIENT_TRANSCRIPTS)) {
    if (entry.path().extension() == ".txt") CHECK(listed.count(entry.path().filename().string()) == 1);
  }
}
