// APPEND: APPENDUID data, flags and INTERNALDATE stored, the body shared
// with deliveries of the same bytes, TRYCREATE; concurrent APPENDs and
// deliveries to one mailbox never share a UID. Also QUOTA usage (RFC 9208).
#include "tests/unit/store/store_fixture.hpp"

#include <set>
#include <thread>
#include <vector>

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_quota.hpp"

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

AppendRequest request(const std::string& text) {
  AppendRequest r;
  r.raw = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
  r.meta.subject = text;
  r.meta.search_text = text;
  return r;
}

Delivery delivery(const std::string& text, int64_t account) {
  Delivery d;
  d.raw = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
  d.meta.subject = text;
  d.local_accounts = {account};
  return d;
}

}  // namespace

TEST_CASE("APPEND files a message with flags and date and returns APPENDUID data", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  AppendRequest r = request("draft");
  r.flags = {"\\draft", "\\Seen", "\\Recent", "$Label1"};
  r.internal_date = 1769904000;
  auto a = append_message(db.conn, joe, "Drafts", r);
  REQUIRE(a.ok());
  CHECK(a->uid == 1);
  CHECK(a->modseq == 2);
  CHECK(a->uidvalidity == std::stoll(db.value("SELECT uidvalidity FROM mailboxes WHERE name = 'Drafts'")));
  CHECK(db.value("SELECT flags FROM mailbox_messages") == "{\"\\\\Draft\",\"\\\\Seen\"}");
  CHECK(db.value("SELECT keywords FROM mailbox_messages") == "{$Label1}");
  CHECK(db.value("SELECT extract(epoch FROM internal_date)::bigint FROM mailbox_messages") == "1769904000");
  CHECK(db.value("SELECT subject || '/' || size FROM bodies") == "draft/" + std::to_string(r.raw.size()));

  // The same bytes delivered share the body row.
  auto d = deliver(db.conn, delivery("draft", joe));
  REQUIRE(d.ok());
  CHECK(d->body_id == a->body_id);
  CHECK(db.count("bodies") == 1);
  CHECK(append_message(db.conn, joe, "inbox", request("x"))->uid == 2);

  auto missing = append_message(db.conn, joe, "Nope", request("y"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message == "[TRYCREATE] no mailbox 'Nope'");
  CHECK(append_message(db.conn, joe, "INBOX", [] {
          AppendRequest bad = request("z");
          bad.flags = {"\\Bogus"};
          return bad;
        }()).error().code == ErrorCode::InvalidInput);
  CHECK(db.count("bodies") == 2);
}

TEST_CASE("4 appending and 4 delivering threads never give the same UID", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  constexpr int kThreads = 8, kEach = 15;
  std::vector<std::vector<int64_t>> uids(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      pqxx::connection conn{db.conninfo};
      for (int i = 0; i < kEach; ++i) {
        std::string text = i % 3 ? "shared" : "t" + std::to_string(t) + "m" + std::to_string(i);
        if (t % 2) {
          auto done = append_message(conn, joe, "INBOX", request(text));
          if (!done) return void(errors[t] = done.error().describe());
          uids[t].push_back(done->uid);
        } else {
          auto done = deliver(conn, delivery(text, joe));
          if (!done) return void(errors[t] = done.error().describe());
          uids[t].push_back(done->mailbox_uids.at(0).second);
        }
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
  CHECK(db.value("SELECT uidnext || '/' || highest_modseq FROM mailboxes WHERE name = 'INBOX'") ==
        std::to_string(kThreads * kEach + 1) + "/" + std::to_string(kThreads * kEach + 1));
}

TEST_CASE("quota usage counts every mailbox entry; the limit is quota_mb in KiB", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto none = account_quota(db.conn, joe);
  REQUIRE(none.ok());
  CHECK(none->bytes == 0);
  CHECK(none->messages == 0);
  CHECK(none->storage_kib() == 0);
  CHECK_FALSE(none->storage_limit_kib.has_value());

  AppendRequest big = request("big");
  big.raw += std::string(3000, 'x');
  REQUIRE(append_message(db.conn, joe, "INBOX", big).ok());
  REQUIRE(append_message(db.conn, joe, "Sent", big).ok());  // same body, counted twice
  db.value("UPDATE accounts SET quota_mb = 5 WHERE id = " + std::to_string(joe) + " RETURNING 1");
  auto q = account_quota(db.conn, joe);
  REQUIRE(q.ok());
  CHECK(q->messages == 2);
  CHECK(q->bytes == 2 * static_cast<int64_t>(big.raw.size()));
  CHECK(q->storage_kib() == (q->bytes + 1023) / 1024);
  CHECK(q->storage_limit_kib == std::optional<int64_t>(5 * 1024));
  CHECK(account_quota(db.conn, joe + 100).error().code == ErrorCode::NotFound);
}
