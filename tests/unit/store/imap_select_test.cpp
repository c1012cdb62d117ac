// SELECT/EXAMINE: the message list in UID order with flags and MODSEQ, and
// \Recent claimed by exactly one session (EXAMINE never claims).
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/imap_changes.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_expunge.hpp"
#include "libcore/store/imap_flags.hpp"
#include "libcore/store/imap_select.hpp"

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

void deliver_to(test::StoreDb& db, int64_t account, const std::string& text) {
  Delivery d;
  d.raw = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
  d.meta.subject = text;
  d.local_accounts = {account};
  auto done = deliver(db.conn, d);
  if (!done) FAIL(done.error().describe());
}

}  // namespace

TEST_CASE("SELECT lists messages by UID and claims \\Recent once", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  deliver_to(db, joe, "one");
  deliver_to(db, joe, "two");
  AppendRequest r;
  r.raw = "Subject: three\r\n\r\nthree\r\n";
  r.flags = {"\\Seen", "$Label1"};
  REQUIRE(append_message(db.conn, joe, "INBOX", r).ok());

  auto examined = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadOnly);
  REQUIRE(examined.ok());
  CHECK(examined->recent.empty());
  CHECK(examined->messages.size() == 3);

  auto first = select_mailbox(db.conn, joe, "inbox", SelectMode::ReadWrite);
  REQUIRE(first.ok());
  CHECK(first->name == "INBOX");
  CHECK(first->uidnext == 4);
  CHECK(first->highest_modseq == 4);
  REQUIRE(first->messages.size() == 3);
  CHECK(first->messages[0].uid == 1);
  CHECK(first->messages[0].modseq == 2);
  CHECK(first->messages[2].uid == 3);
  CHECK(first->messages[2].flags == std::vector<std::string>{"\\Seen"});
  CHECK(first->messages[2].keywords == std::vector<std::string>{"$Label1"});
  CHECK(first->recent == std::vector<int64_t>{1, 2, 3});

  auto second = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite);
  REQUIRE(second.ok());
  CHECK(second->recent.empty());
  CHECK(second->messages.size() == 3);

  deliver_to(db, joe, "four");
  auto third = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite);
  REQUIRE(third.ok());
  CHECK(third->recent == std::vector<int64_t>{4});
  CHECK(db.value("SELECT first_recent_uid FROM mailboxes WHERE name = 'INBOX'") == "5");
}

TEST_CASE("SELECT of a missing mailbox is NotFound", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto none = select_mailbox(db.conn, joe, "Nope", SelectMode::ReadWrite);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().message == "no mailbox 'Nope'");
  CHECK(select_mailbox(db.conn, joe, "a//b", SelectMode::ReadOnly).error().code == ErrorCode::InvalidInput);
}

TEST_CASE("claim_recent gives what arrived since the last claim, to one claimer only", "[store][imap][db]") {
  test::StoreDb db;
  auto joe = make(db, "joe");
  deliver_to(db, joe, "one");
  auto selected = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite);
  REQUIRE(selected);
  CHECK(selected->recent == std::vector<int64_t>{1});
  CHECK(claim_recent(db.conn, selected->id)->empty());
  deliver_to(db, joe, "two");
  deliver_to(db, joe, "three");
  CHECK(*claim_recent(db.conn, selected->id) == std::vector<int64_t>{2, 3});
  CHECK(claim_recent(db.conn, selected->id)->empty());  // a second session gets none
  deliver_to(db, joe, "four");
  auto again = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite);
  REQUIRE(again);
  CHECK(again->recent == std::vector<int64_t>{4});
  CHECK(claim_recent(db.conn, selected->id)->empty());
}

TEST_CASE("SELECT with QRESYNC lists the UIDs expunged after the client's MODSEQ", "[store][imap][db]") {
  test::StoreDb db;
  auto joe = make(db, "joe");
  for (const char* text : {"one", "two", "three", "four"}) deliver_to(db, joe, text);
  auto box = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite);
  REQUIRE(box);
  CHECK(box->vanished.empty());  // not asked for
  FlagChange deleted;
  deleted.flags = {"\\Deleted"};
  REQUIRE(store_flags(db.conn, box->id, {1}, deleted).ok());
  auto first = expunge_deleted(db.conn, box->id);
  REQUIRE(first);
  const int64_t after_first = first->highest_modseq;
  REQUIRE(store_flags(db.conn, box->id, {3}, deleted).ok());
  REQUIRE(expunge_deleted(db.conn, box->id).ok());

  auto all = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadOnly, box->highest_modseq);
  REQUIRE(all);
  CHECK(all->vanished == std::vector<int64_t>{1, 3});
  auto later = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite, after_first);
  REQUIRE(later);
  CHECK(later->vanished == std::vector<int64_t>{3});
  auto none = select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadOnly, later->highest_modseq);
  REQUIRE(none);
  CHECK(none->vanished.empty());
}
