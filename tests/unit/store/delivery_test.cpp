// deliver(): one body row however many mailboxes, UIDs per INBOX, atomic
// failure, remote recipients queued with their DSN parameters, and UIDs
// that never repeat under concurrent deliveries.
#include "tests/unit/store/store_fixture.hpp"

#include <set>
#include <thread>
#include <vector>

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/queue.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

int64_t make(test::StoreDb& db, const std::string& name) {
  NewAccount a;
  a.name = name;
  auto made = create_account(db.conn, a);
  if (!made) FAIL(made.error().describe());
  return made->id;
}

Delivery message(const std::string& text, std::vector<int64_t> accounts) {
  Delivery d;
  d.raw = "From: a@example.com\r\nSubject: " + text + "\r\n\r\n" + text + "\r\n";
  d.meta.subject = text;
  d.meta.from = "a@example.com";
  d.meta.search_text = "a@example.com " + text;
  d.meta.date_epoch = 1767225600;  // 2026-01-01T00:00:00Z
  d.sender = "a@example.com";
  d.local_accounts = std::move(accounts);
  return d;
}

}  // namespace

TEST_CASE("a delivery to two accounts stores one body and two entries with UID 1", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe"), kate = make(db, "kate");
  auto done = deliver(db.conn, message("hello", {kate, joe}));
  REQUIRE(done.ok());
  CHECK(done->id.size() == 10);
  CHECK_FALSE(done->queue_id.has_value());
  REQUIRE(done->mailbox_uids.size() == 2);
  CHECK(done->mailbox_uids[0].second == 1);
  CHECK(done->mailbox_uids[1].second == 1);
  CHECK(db.count("bodies") == 1);
  CHECK(db.count("mailbox_messages") == 2);
  CHECK(db.value("SELECT subject FROM bodies") == "hello");
  CHECK(db.value("SELECT header_date = '2026-01-01T00:00:00Z' FROM bodies") == "t");
  CHECK(db.value("SELECT size = octet_length(raw) AND sha256 = sha256(raw) FROM bodies") == "t");
  CHECK(db.value("SELECT count(DISTINCT body_id) FROM mailbox_messages") == "1");
  CHECK(db.value("SELECT string_agg(m.name, ',') FROM mailbox_messages mm "
                 "JOIN mailboxes m ON m.id = mm.mailbox_id") == "INBOX,INBOX");
  CHECK(db.value("SELECT uidnext || '/' || highest_modseq FROM mailboxes WHERE account_id = " +
                 std::to_string(joe) + " AND name = 'INBOX'") == "2/2");
  CHECK(db.value("SELECT min(modseq) FROM mailbox_messages") == "2");
}

TEST_CASE("a second delivery gets UID 2 and the same body is stored once", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto first = deliver(db.conn, message("one", {joe}));
  auto second = deliver(db.conn, message("two", {joe}));
  auto again = deliver(db.conn, message("one", {joe, joe}));  // a repeat counts once
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(again.ok());
  CHECK(second->mailbox_uids.at(0).second == 2);
  REQUIRE(again->mailbox_uids.size() == 1);
  CHECK(again->mailbox_uids.at(0).second == 3);
  CHECK(again->body_id == first->body_id);
  CHECK(first->id != second->id);
  CHECK(db.count("bodies") == 2);
  CHECK(db.count("mailbox_messages") == 3);
}

TEST_CASE("a failing delivery leaves no body and no queue rows", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  Delivery d = message("lost", {joe, joe + 1000});
  d.remote = {{"x@remote.example", "", ""}};
  auto failed = deliver(db.conn, d);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == ErrorCode::NotFound);
  CHECK(failed.error().message == "no INBOX for account id " + std::to_string(joe + 1000));
  CHECK(db.count("bodies") == 0);
  CHECK(db.count("mailbox_messages") == 0);
  CHECK(db.count("queue_messages") == 0);
  CHECK(db.count("queue_recipients") == 0);
  CHECK(db.value("SELECT uidnext FROM mailboxes WHERE name = 'INBOX'") == "1");
}

TEST_CASE("deliveries without recipients or with a bad RET are InvalidInput", "[store][delivery][db]") {
  test::StoreDb db;
  CHECK(deliver(db.conn, message("none", {})).error().code == ErrorCode::InvalidInput);
  Delivery d = message("ret", {});
  d.remote = {{"x@remote.example", "", ""}};
  d.ret = "ALL";
  CHECK(deliver(db.conn, d).error().code == ErrorCode::InvalidInput);
  d.ret = "";
  d.remote = {{"", "", ""}};
  CHECK(deliver(db.conn, d).error().code == ErrorCode::InvalidInput);
  CHECK(db.count("bodies") == 0);
}

TEST_CASE("remote recipients are queued with their DSN parameters", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  Delivery d = message("out", {joe});
  d.envid = "QQ314159";
  d.ret = "HDRS";
  d.remote = {{"bob@remote.example", "SUCCESS,FAILURE", "rfc822;bob@remote.example"},
              {"eve@other.example", "NEVER", ""}};
  auto done = deliver(db.conn, d);
  REQUIRE(done.ok());
  REQUIRE(done->queue_id.has_value());
  CHECK(db.count("bodies") == 1);  // the queue shares the mailbox's body

  auto queue = list_queue(db.conn);
  REQUIRE(queue.ok());
  REQUIRE(queue->size() == 1);
  const QueuedMessage& q = queue->front();
  CHECK(q.id == *done->queue_id);
  CHECK(q.delivery_id == done->id);
  CHECK(q.body_id == done->body_id);
  CHECK(q.size == static_cast<int64_t>(d.raw.size()));
  CHECK(q.sender == "a@example.com");
  CHECK(q.envid == "QQ314159");
  CHECK(q.ret == "HDRS");
  CHECK_FALSE(q.held);
  REQUIRE(q.recipients.size() == 2);
  CHECK(q.recipients[0].recipient.address == "bob@remote.example");
  CHECK(q.recipients[0].recipient.notify == "SUCCESS,FAILURE");
  CHECK(q.recipients[0].recipient.orcpt == "rfc822;bob@remote.example");
  CHECK(q.recipients[0].status == "pending");
  CHECK(q.recipients[0].attempts == 0);
  CHECK(q.recipients[1].recipient.notify == "NEVER");
  CHECK(db.value("SELECT count(*) FROM queue_recipients WHERE status = 'pending' AND next_attempt_at <= now()") ==
        "2");
}

TEST_CASE("a remote-only delivery files nothing locally", "[store][delivery][db]") {
  test::StoreDb db;
  Delivery d = message("relay", {});
  d.sender = "";
  d.remote = {{"bob@remote.example", "", ""}};
  auto done = deliver(db.conn, d);
  REQUIRE(done.ok());
  CHECK(done->mailbox_uids.empty());
  CHECK(done->queue_id.has_value());
  CHECK(db.value("SELECT sender = '' FROM queue_messages") == "t");
}

TEST_CASE("text that is not UTF-8 is stored with replacement characters", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  Delivery d = message("x", {joe});
  d.raw = std::string("Subject: caf\xE9\r\n\r\n") + std::string("\0\xFF binary\r\n", 11);
  d.meta.subject = "caf\xE9";
  REQUIRE(deliver(db.conn, d).ok());
  CHECK(db.value("SELECT subject FROM bodies") == "caf\xEF\xBF\xBD");
  CHECK(db.value("SELECT size FROM bodies") == std::to_string(d.raw.size()));
  CHECK(db.value("SELECT encode(substring(raw from 18 for 2), 'hex') FROM bodies") == "00ff");
}

TEST_CASE("8 threads of 25 concurrent deliveries give 200 distinct consecutive UIDs", "[store][delivery][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<int64_t>> uids(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      pqxx::connection conn{db.conninfo};
      for (int i = 0; i < kEach; ++i) {
        // Every other message is the same body, so the hash conflict path races too.
        std::string text = i % 2 ? "shared" : "t" + std::to_string(t) + "m" + std::to_string(i);
        auto done = deliver(conn, message(text, {joe}));
        if (!done) {
          errors[t] = done.error().describe();
          return;
        }
        uids[t].push_back(done->mailbox_uids.at(0).second);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    CHECK(errors[t].empty());
    all.insert(uids[t].begin(), uids[t].end());
  }
  REQUIRE(all.size() == kThreads * kEach);
  CHECK(*all.begin() == 1);
  CHECK(*all.rbegin() == kThreads * kEach);
  CHECK(db.count("mailbox_messages") == kThreads * kEach);
  CHECK(db.value("SELECT uidnext FROM mailboxes WHERE name = 'INBOX'") == "201");
  CHECK(db.value("SELECT count(DISTINCT modseq) FROM mailbox_messages") == "200");
  CHECK(db.count("bodies WHERE subject = 'shared'") == 1);
}
