// What an attempt means for a queued recipient: the back-off schedule, the
// expiry, the one delay warning, and which reports NOTIFY asks for.
#include <catch2/catch.hpp>

#include "daemons/senderd/retry_policy.hpp"

using namespace pillarbox;
using namespace pillarbox::senderd;

namespace {

constexpr int64_t kCreated = 1'000'000;

store::ClaimedMessage message() {
  store::ClaimedMessage m;
  m.id = 1;
  m.sender = "joe@here.example";
  m.created_at = kCreated;
  return m;
}

store::ClaimedRecipient recipient(int attempts, std::string notify = "", bool warned = false) {
  store::ClaimedRecipient r;
  r.id = 7;
  r.recipient.address = "a@remote.example";
  r.recipient.notify = std::move(notify);
  r.attempts = attempts;
  r.delay_warned = warned;
  return r;
}

Attempt attempt(Attempt::Kind kind, const char* wire, bool dsn_passed = true) {
  Attempt a;
  a.kind = kind;
  a.status = dsn::outcome_from_reply(wire);
  a.reply = wire;
  a.remote_mta = "mx.remote.example";
  a.dsn_passed = dsn_passed;
  return a;
}

const Policy kPolicy{600, 4 * 86400, 4 * 3600};

}  // namespace

TEST_CASE("retry delays double from the interval up to eight times it", "[senderd][retry]") {
  CHECK(retry_delay(1, 600) == 600);
  CHECK(retry_delay(2, 600) == 1200);
  CHECK(retry_delay(3, 600) == 2400);
  CHECK(retry_delay(4, 600) == 4800);
  CHECK(retry_delay(40, 600) == 4800);
  CHECK(retry_delay(0, 600) == 600);
}

TEST_CASE("a temporary failure is deferred on the schedule, with one delay warning", "[senderd][retry]") {
  auto early = decide(message(), recipient(2), attempt(Attempt::Kind::Temporary, "451 4.3.0 busy"), kCreated + 60,
                      kPolicy);
  CHECK(early.record.outcome == store::AttemptOutcome::Deferred);
  CHECK(early.record.next_attempt_at == kCreated + 60 + 1200);
  CHECK(early.record.dsn_status == "4.3.0");
  CHECK(early.record.reply == "451 4.3.0 busy");
  CHECK_FALSE(early.record.delay_warned);
  CHECK_FALSE(early.report);

  const int64_t late = kCreated + 5 * 3600;
  auto warned = decide(message(), recipient(5), attempt(Attempt::Kind::Temporary, "451 4.3.0 busy"), late, kPolicy);
  CHECK(warned.record.delay_warned);
  REQUIRE(warned.report);
  CHECK(*warned.report == dsn::Action::Delayed);
  // Once told, never again.
  auto again = decide(message(), recipient(6, "", true), attempt(Attempt::Kind::Temporary, "451 4.3.0 busy"),
                      late + 600, kPolicy);
  CHECK_FALSE(again.report);
  // NOTIFY=FAILURE only: no delay warning, though the flag is set.
  auto quiet = decide(message(), recipient(5, "FAILURE"), attempt(Attempt::Kind::Temporary, "451 4.3.0 busy"),
                      late, kPolicy);
  CHECK(quiet.record.delay_warned);
  CHECK_FALSE(quiet.report);
}

TEST_CASE("the last try falls at the expiry, and after it a temporary failure is final", "[senderd][retry]") {
  const int64_t expiry = kCreated + kPolicy.max_age;
  auto near = decide(message(), recipient(30, "", true), attempt(Attempt::Kind::Temporary, "421 4.4.2 closing"),
                     expiry - 100, kPolicy);
  CHECK(near.record.outcome == store::AttemptOutcome::Deferred);
  CHECK(near.record.next_attempt_at == expiry);
  auto expired = decide(message(), recipient(31, "", true), attempt(Attempt::Kind::Temporary, "421 4.4.2 closing"),
                        expiry, kPolicy);
  CHECK(expired.record.outcome == store::AttemptOutcome::Failed);
  REQUIRE(expired.report);
  CHECK(*expired.report == dsn::Action::Failed);
  CHECK(expired.record.dsn_status == "4.4.2");
}

TEST_CASE("permanent failures fail at once, reported unless NOTIFY=NEVER", "[senderd][retry]") {
  auto failed = decide(message(), recipient(1), attempt(Attempt::Kind::Permanent, "550 5.1.1 no such user"),
                       kCreated, kPolicy);
  CHECK(failed.record.outcome == store::AttemptOutcome::Failed);
  CHECK(failed.report == dsn::Action::Failed);
  auto never = decide(message(), recipient(1, "NEVER"), attempt(Attempt::Kind::Permanent, "550 5.1.1 no"),
                      kCreated, kPolicy);
  CHECK(never.record.outcome == store::AttemptOutcome::Failed);
  CHECK_FALSE(never.report);
}

TEST_CASE("success: reported as relayed only when SUCCESS was asked of a server without DSN", "[senderd][retry]") {
  auto plain = decide(message(), recipient(1), attempt(Attempt::Kind::Accepted, "250 2.0.0 ok", false), kCreated,
                      kPolicy);
  CHECK(plain.record.outcome == store::AttemptOutcome::Delivered);
  CHECK_FALSE(plain.report);
  auto passed = decide(message(), recipient(1, "SUCCESS"), attempt(Attempt::Kind::Accepted, "250 2.0.0 ok", true),
                       kCreated, kPolicy);
  CHECK(passed.record.outcome == store::AttemptOutcome::Delivered);
  CHECK_FALSE(passed.report);  // the next server reports
  auto relayed = decide(message(), recipient(1, "SUCCESS,FAILURE"),
                        attempt(Attempt::Kind::Accepted, "250 2.0.0 ok", false), kCreated, kPolicy);
  CHECK(relayed.record.outcome == store::AttemptOutcome::Relayed);
  CHECK(relayed.report == dsn::Action::Relayed);
}
