// Message-level store operations for the readers: the INBOX listing, the
// stored bytes, expunge (HIGHESTMODSEQ moves, UIDs remembered), the POP3
// maildrop lock with take-over, the security event log, APOP secrets.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/apop.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/messages.hpp"
#include "libcore/store/pop3_locks.hpp"
#include "libcore/store/security_events.hpp"

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

void deliver_to(test::StoreDb& db, const std::string& text, std::vector<int64_t> accounts) {
  Delivery d;
  d.raw = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
  d.meta.subject = text;
  d.local_accounts = std::move(accounts);
  auto done = deliver(db.conn, d);
  if (!done) FAIL(done.error().describe());
}

}  // namespace

TEST_CASE("the INBOX listing, message bytes and expunge", "[store][messages]") {
  test::StoreDb db;
  auto joe = make(db, "joe");
  auto ann = make(db, "ann");
  deliver_to(db, "one", {joe});
  deliver_to(db, "two", {joe, ann});
  auto inbox = inbox_messages(db.conn, joe);
  REQUIRE(inbox);
  REQUIRE(inbox->size() == 2);
  CHECK((*inbox)[0].uid == 1);
  CHECK((*inbox)[1].uid == 2);
  CHECK((*inbox)[0].size == static_cast<int64_t>(std::string("Subject: one\r\n\r\none\r\n").size()));
  auto bytes = message_bytes(db.conn, joe, (*inbox)[1].id);
  REQUIRE(bytes);
  REQUIRE(*bytes);
  CHECK(**bytes == "Subject: two\r\n\r\ntwo\r\n");
  // Not ann's message id: nothing, as if it did not exist.
  CHECK_FALSE(*message_bytes(db.conn, ann, (*inbox)[0].id));

  auto modseq_before = db.value("SELECT highest_modseq FROM mailboxes m JOIN accounts a ON a.id = m.account_id "
                                "WHERE a.name = 'joe' AND m.name = 'INBOX'");
  // Ann cannot expunge joe's message; joe can, once.
  CHECK(*expunge_messages(db.conn, ann, {(*inbox)[0].id}) == 0);
  CHECK(*expunge_messages(db.conn, joe, {(*inbox)[0].id, 999999}) == 1);
  CHECK(*expunge_messages(db.conn, joe, {(*inbox)[0].id}) == 0);
  CHECK(*expunge_messages(db.conn, joe, {}) == 0);
  CHECK(inbox_messages(db.conn, joe)->size() == 1);
  CHECK(inbox_messages(db.conn, ann)->size() == 1);
  CHECK(*message_bytes(db.conn, joe, (*inbox)[0].id) == std::nullopt);
  auto modseq_after = db.value("SELECT highest_modseq FROM mailboxes m JOIN accounts a ON a.id = m.account_id "
                               "WHERE a.name = 'joe' AND m.name = 'INBOX'");
  CHECK(std::stoll(modseq_after) == std::stoll(modseq_before) + 1);
  CHECK(db.value("SELECT uid || ':' || (modseq = " + modseq_after + ") FROM expunged_messages") == "1:true");
}

TEST_CASE("the POP3 lock: one holder, released by its holder, taken over only from the stale holder",
          "[store][pop3]") {
  test::StoreDb db;
  auto joe = make(db, "joe");
  const LockHolder a{"node1", 100, "aaaa"}, b{"node1", 200, "bbbb"}, c{"node2", 300, "cccc"};
  CHECK_FALSE(*take_pop3_lock(db.conn, joe, a));
  auto busy = take_pop3_lock(db.conn, joe, b);
  REQUIRE(busy);
  REQUIRE(*busy);
  CHECK(**busy == a);
  CHECK_FALSE(*take_over_pop3_lock(db.conn, joe, c, b));  // c does not hold it
  CHECK(*take_over_pop3_lock(db.conn, joe, a, b));
  CHECK(db.value("SELECT pid FROM pop3_locks") == "200");
  REQUIRE(release_pop3_lock(db.conn, joe, a));  // not a's any more: nothing happens
  CHECK(db.count("pop3_locks") == 1);
  REQUIRE(release_pop3_lock(db.conn, joe, b));
  CHECK(db.count("pop3_locks") == 0);
  CHECK_FALSE(*take_pop3_lock(db.conn, joe, c));
}

TEST_CASE("failed logins are logged; a bad address is refused", "[store][security]") {
  test::StoreDb db;
  REQUIRE(record_login_failure(db.conn, {"pop3", "192.0.2.7", "joe", "wrong password"}));
  REQUIRE(record_login_failure(db.conn, {"imap", "2001:db8::1", std::string(300, 'x'), "unknown account"}));
  CHECK(db.value("SELECT string_agg(service || ' ' || host(address) || ' ' || length(account) || ' ' || kind, ', ' "
                 "ORDER BY id) FROM security_events") == "pop3 192.0.2.7 3 login_failed, imap 2001:db8::1 128 login_failed");
  auto bad = record_login_failure(db.conn, {"pop3", "not-an-address", "joe", ""});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("APOP secrets: set, read back sealed, off; one refusal for every cause", "[store][apop]") {
  test::StoreDb db;
  make(db, "Joe");
  CHECK(apop_account(db.conn, "joe").error().message == "invalid login or password");
  REQUIRE(set_apop_secret(db.conn, "joe", std::string("v1:sealed")));
  auto a = apop_account(db.conn, "JOE");
  REQUIRE(a);
  CHECK(a->name == "Joe");
  CHECK(a->sealed == "v1:sealed");
  REQUIRE(set_apop_secret(db.conn, "joe", std::nullopt));
  CHECK(apop_account(db.conn, "joe").error().code == ErrorCode::PermissionDenied);
  CHECK(apop_account(db.conn, "nobody").error().message == "invalid login or password");
  CHECK(set_apop_secret(db.conn, "nobody", std::string("x")).error().code == ErrorCode::NotFound);
}
