// senderd's side of the queue: claims (live owners are skipped, dead owners'
// claims are taken over at once), attempts recorded with their reports in one
// transaction, held messages, and the administrator's operations.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/event/loop.hpp"
#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/instance_lock.hpp"
#include "libcore/store/queue_admin.hpp"
#include "libcore/store/sender_queue.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

int64_t queue_one(test::StoreDb& db, std::vector<std::string> to, const std::string& sender = "joe@here.example") {
  Delivery d;
  d.raw = "Subject: out\r\n\r\nbody\r\n";
  d.meta.subject = "out";
  d.sender = sender;
  d.eight_bit = true;
  for (auto& a : to) d.remote.push_back({a, "", ""});
  auto done = deliver(db.conn, d);
  if (!done) FAIL(done.error().describe());
  return *done->queue_id;
}

// Another session holding instance `key`'s lock: that instance is alive.
struct LiveInstance {
  pqxx::connection conn;
  LiveInstance(const std::string& conninfo, int32_t key) : conn(conninfo) {
    pqxx::nontransaction tx{conn};
    tx.exec_params("SELECT pg_advisory_lock($1, $2)", kSenderLockNamespace, key);
  }
};

AttemptRecord record(int64_t recipient, AttemptOutcome o, std::string reply = "250 2.0.0 Ok") {
  AttemptRecord a;
  a.recipient_id = recipient;
  a.outcome = o;
  a.remote_mta = "mx.remote.example";
  a.reply = std::move(reply);
  a.dsn_status = o == AttemptOutcome::Failed ? "5.1.1" : "2.0.0";
  return a;
}

}  // namespace

TEST_CASE("claim_due claims due recipients once; a live owner's claim is skipped, a dead one's taken over",
          "[store][sender][db]") {
  test::StoreDb db;
  const int64_t id = queue_one(db, {"a@remote.example", "b@remote.example"});
  auto live = std::make_unique<LiveInstance>(db.conninfo, 11);

  auto first = claim_due(db.conn, 11, 10);
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  const ClaimedMessage& m = first->front();
  CHECK(m.id == id);
  CHECK(m.sender == "joe@here.example");
  CHECK(m.eight_bit);
  CHECK_FALSE(m.smtputf8);
  CHECK(m.recipients.size() == 2);
  CHECK(m.recipients[0].attempts == 1);
  CHECK(*queued_body(db.conn, m.body_id) == "Subject: out\r\n\r\nbody\r\n");

  // Instance 11 is alive: nobody else gets its recipients, and nothing is
  // "due" for the timer while they are claimed.
  CHECK(claim_due(db.conn, 22, 10)->empty());
  CHECK_FALSE(seconds_until_due(db.conn)->has_value());
  // Instance 11 dies (its session ends): its claims are free at once.
  live.reset();
  auto taken = claim_due(db.conn, 22, 10);
  REQUIRE(taken);
  REQUIRE(taken->size() == 1);
  CHECK(taken->front().recipients[0].attempts == 2);
  CHECK(db.value("SELECT string_agg(DISTINCT claimed_by::text, ',') FROM queue_recipients") == "22");
}

TEST_CASE("claim_due honours the limit, the due time and held messages", "[store][sender][db]") {
  test::StoreDb db;
  const int64_t first = queue_one(db, {"a@remote.example", "b@remote.example", "c@remote.example"});
  const int64_t held = queue_one(db, {"d@remote.example"});
  REQUIRE(queue_hold(db.conn, held).ok());
  auto some = claim_due(db.conn, 5, 2);
  REQUIRE(some);
  REQUIRE(some->size() == 1);
  CHECK(some->front().id == first);
  CHECK(some->front().recipients.size() == 2);
  auto rest = claim_due(db.conn, 5, 10);
  REQUIRE(rest->size() == 1);
  CHECK(rest->front().recipients.size() == 1);
  CHECK(claim_due(db.conn, 5, 10)->empty());  // the held one stays
  REQUIRE(queue_release(db.conn, held).ok());
  auto released = claim_due(db.conn, 5, 10);
  REQUIRE(released->size() == 1);
  CHECK(released->front().id == held);
}

TEST_CASE("record_attempts: deferred, delivered, failed with its report, and the message finished",
          "[store][sender][db]") {
  test::StoreDb db;
  NewAccount joe;
  joe.name = "joe";
  const int64_t account = create_account(db.conn, joe)->id;
  const int64_t id = queue_one(db, {"a@remote.example", "b@remote.example"});
  auto claimed = claim_due(db.conn, 7, 10);
  REQUIRE(claimed->size() == 1);
  const auto& rs = claimed->front().recipients;

  // Someone else cannot record what instance 7 claimed: nothing changes.
  auto stolen = record_attempts(db.conn, 8, id, {record(rs[0].id, AttemptOutcome::Delivered)}, {});
  REQUIRE_FALSE(stolen);
  CHECK(stolen.error().code == ErrorCode::InUse);
  CHECK(db.count("queue_attempts") == 0);

  AttemptRecord later = record(rs[1].id, AttemptOutcome::Deferred, "451 4.3.0 try later");
  later.next_attempt_at = std::time(nullptr) + 600;
  REQUIRE(record_attempts(db.conn, 7, id, {record(rs[0].id, AttemptOutcome::Delivered), later}, {}).ok());
  CHECK(db.value("SELECT status FROM queue_recipients WHERE id = " + std::to_string(rs[0].id)) == "delivered");
  CHECK(db.value("SELECT last_error FROM queue_recipients WHERE id = " + std::to_string(rs[1].id)) ==
        "451 4.3.0 try later");
  CHECK(db.value("SELECT claimed_by IS NULL FROM queue_recipients WHERE id = " + std::to_string(rs[1].id)) == "t");
  CHECK(db.value("SELECT finished_at IS NULL FROM queue_messages WHERE id = " + std::to_string(id)) == "t");
  auto wait = seconds_until_due(db.conn);
  REQUIRE(wait->has_value());
  CHECK(**wait > 590);
  CHECK(**wait <= 600);
  CHECK(claim_due(db.conn, 7, 10)->empty());

  // Made due again by the administrator; this time it fails for good and a
  // report goes to joe's INBOX in the same transaction.
  REQUIRE(*queue_retry(db.conn, id) == 1);
  auto again = claim_due(db.conn, 7, 10);
  REQUIRE(again->size() == 1);
  Delivery report;
  report.raw = "Subject: Undelivered Mail Returned to Sender\r\n\r\nreport\r\n";
  report.local_accounts = {account};
  REQUIRE(record_attempts(db.conn, 7, id, {record(rs[1].id, AttemptOutcome::Failed, "550 5.1.1 no such user")},
                          {report})
              .ok());
  CHECK(db.count("mailbox_messages") == 1);
  CHECK(db.value("SELECT finished_at IS NOT NULL FROM queue_messages WHERE id = " + std::to_string(id)) == "t");
  CHECK(db.value("SELECT string_agg(outcome, ',' ORDER BY id) FROM queue_attempts") == "delivered,deferred,failed");

  auto shown = queue_show(db.conn, id);
  REQUIRE(shown);
  CHECK(shown->attempts.size() == 3);
  CHECK(shown->attempts[2].reply == "550 5.1.1 no such user");
  CHECK(shown->finished_at > 0);
  CHECK(*purge_finished(db.conn, 3600) == 0);
  CHECK(*purge_finished(db.conn, 0) == 1);
  CHECK(db.count("queue_messages") == 0);
}

TEST_CASE("a report that cannot be stored leaves the attempt unrecorded", "[store][sender][db]") {
  test::StoreDb db;
  const int64_t id = queue_one(db, {"a@remote.example"});
  auto claimed = claim_due(db.conn, 7, 10);
  Delivery broken;  // no recipients: refused
  broken.raw = "Subject: x\r\n\r\nx\r\n";
  auto r = record_attempts(db.conn, 7, id, {record(claimed->front().recipients[0].id, AttemptOutcome::Failed)},
                           {broken});
  REQUIRE_FALSE(r);
  CHECK(db.value("SELECT status || ',' || (claimed_by = 7)::text FROM queue_recipients") == "pending,true");
  CHECK(db.count("queue_attempts") == 0);
}

TEST_CASE("queue admin: delete waits for a live delivery; retry and release explain themselves",
          "[store][sender][db]") {
  test::StoreDb db;
  const int64_t id = queue_one(db, {"a@remote.example"});
  CHECK(queue_show(db.conn, 999).error().code == ErrorCode::NotFound);
  REQUIRE(queue_hold(db.conn, id).ok());
  CHECK(queue_retry(db.conn, id).error().message == "queued message " + std::to_string(id) +
                                                       " is held: release it first");
  REQUIRE(queue_release(db.conn, id).ok());
  {
    LiveInstance live(db.conninfo, 31);
    REQUIRE(claim_due(db.conn, 31, 10)->size() == 1);
    auto busy = queue_delete(db.conn, id);
    REQUIRE_FALSE(busy);
    CHECK(busy.error().code == ErrorCode::InUse);
  }
  REQUIRE(queue_delete(db.conn, id).ok());
  CHECK(db.count("queue_messages") == 0);
  CHECK(queue_delete(db.conn, id).error().code == ErrorCode::NotFound);
}

TEST_CASE("release_claims gives claims back without counting the attempt", "[store][sender][db]") {
  test::StoreDb db;
  queue_one(db, {"a@remote.example", "b@remote.example"});
  auto claimed = claim_due(db.conn, 9, 10);
  REQUIRE(claimed->size() == 1);
  const int64_t first = claimed->front().recipients[0].id;
  CHECK(*release_claims(db.conn, 10, {first}) == 0);  // not the caller's
  CHECK(*release_claims(db.conn, 9, {first}) == 1);
  CHECK(db.value("SELECT attempts FROM queue_recipients WHERE id = " + std::to_string(first)) == "0");
  CHECK(*release_claims(db.conn, 9) == 1);
  CHECK(db.value("SELECT sum(attempts) FROM queue_recipients") == "0");
  CHECK(seconds_until_due(db.conn)->value() == 0);
}

TEST_CASE("InstanceLock holds a key for as long as it lives", "[store][sender][db]") {
  test::StoreDb db;
  event::Loop loop;
  std::string lost;
  auto lock = InstanceLock::acquire(loop, db.conninfo, kSenderLockNamespace, [&](const std::string& why) { lost = why; });
  REQUIRE(lock);
  const int32_t key = (*lock)->key();
  CHECK(key > 0);
  queue_one(db, {"a@remote.example"});
  REQUIRE(claim_due(db.conn, key, 10)->size() == 1);
  CHECK(claim_due(db.conn, key + 1, 10)->empty());  // its owner is alive
  // The server ends the lock's session: the owner hears of it on the loop.
  db.value("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND objid = " +
           std::to_string(key));
  loop.run_until([&] { return !lost.empty(); }, std::chrono::seconds(5));
  CHECK_FALSE(lost.empty());
  CHECK_FALSE((*lock)->held());
  CHECK(claim_due(db.conn, key + 1, 10)->size() == 1);  // taken over
}
