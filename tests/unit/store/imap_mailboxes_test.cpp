// IMAP mailbox management: CREATE with parents and name rules, DELETE (INBOX
// and parents refused), RENAME with children and of INBOX (RFC 3501 §6.3.5),
// subscriptions, STATUS counters.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_flags.hpp"
#include "libcore/store/imap_mailboxes.hpp"
#include "libcore/store/imap_select.hpp"
#include "libcore/store/mailboxes.hpp"

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

Appended put(test::StoreDb& db, int64_t account, const std::string& box, const std::string& text,
             std::vector<std::string> flags = {}) {
  AppendRequest r;
  r.raw = "Subject: " + text + "\r\n\r\n" + text + "\r\n";
  r.meta.subject = text;
  r.flags = std::move(flags);
  auto done = append_message(db.conn, account, box, r);
  if (!done) FAIL(done.error().describe());
  return *done;
}

std::string names(test::StoreDb& db, int64_t account) {
  return db.value("SELECT string_agg(name, ',' ORDER BY name) FROM mailboxes WHERE account_id = " +
                  std::to_string(account));
}

}  // namespace

TEST_CASE("CREATE makes missing parents and refuses existing names", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto made = create_mailbox(db.conn, joe, "Projects/2026/Q1");
  REQUIRE(made.ok());
  CHECK(made->name == "Projects/2026/Q1");
  CHECK(made->uidvalidity > 0);
  CHECK(names(db, joe) == "Drafts,INBOX,Junk,Projects,Projects/2026,Projects/2026/Q1,Sent,Trash");
  CHECK(create_mailbox(db.conn, joe, "Projects/2026").error().code == ErrorCode::AlreadyExists);
  CHECK(create_mailbox(db.conn, joe, "inbox").error().code == ErrorCode::AlreadyExists);
  CHECK(create_mailbox(db.conn, joe, "Projects/2026/Q1").error().message ==
        "mailbox 'Projects/2026/Q1' already exists");
  REQUIRE(create_mailbox(db.conn, joe, "inbox/Lists").ok());  // INBOX's child keeps INBOX's spelling
  CHECK(db.count("mailboxes WHERE name = 'INBOX/Lists'") == 1);
  for (const char* bad : {"", "/a", "a/", "a//b", "a*", "b%", "tab\there"})
    CHECK(create_mailbox(db.conn, joe, bad).error().code == ErrorCode::InvalidInput);
}

TEST_CASE("find_mailbox matches INBOX in any case and other names exactly", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto inbox = find_mailbox(db.conn, joe, "InBoX");
  REQUIRE(inbox.ok());
  REQUIRE(inbox->has_value());
  CHECK((*inbox)->name == "INBOX");
  auto sent = find_mailbox(db.conn, joe, "Sent");
  REQUIRE(sent.ok());
  REQUIRE(sent->has_value());
  CHECK((*sent)->special_use == "\\Sent");
  auto none = find_mailbox(db.conn, joe, "sent");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("DELETE refuses INBOX and mailboxes with children, and removes messages", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  REQUIRE(create_mailbox(db.conn, joe, "a/b").ok());
  put(db, joe, "a/b", "one");
  CHECK(delete_mailbox(db.conn, joe, "inbox").error().code == ErrorCode::PermissionDenied);
  auto parent = delete_mailbox(db.conn, joe, "a");
  REQUIRE_FALSE(parent.ok());
  CHECK(parent.error().code == ErrorCode::InUse);
  CHECK(parent.error().message == "mailbox 'a' has children: delete them first");
  REQUIRE(delete_mailbox(db.conn, joe, "a/b").ok());
  CHECK(db.count("mailbox_messages") == 0);
  CHECK(db.count("bodies") == 1);  // bodies outlive their last mailbox entry
  REQUIRE(delete_mailbox(db.conn, joe, "a").ok());
  CHECK(delete_mailbox(db.conn, joe, "a").error().code == ErrorCode::NotFound);
}

TEST_CASE("RENAME moves children, creates parents and keeps UIDVALIDITY", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto made = create_mailbox(db.conn, joe, "Work/Clients");
  REQUIRE(made.ok());
  put(db, joe, "Work/Clients", "contract");
  auto work_before = find_mailbox(db.conn, joe, "Work");
  REQUIRE(rename_mailbox(db.conn, joe, "Work", "Archive/Work").ok());
  CHECK(names(db, joe) == "Archive,Archive/Work,Archive/Work/Clients,Drafts,INBOX,Junk,Sent,Trash");
  auto moved = find_mailbox(db.conn, joe, "Archive/Work/Clients");
  REQUIRE(moved.ok());
  REQUIRE(moved->has_value());
  CHECK((*moved)->id == made->id);
  CHECK((*moved)->uidvalidity == made->uidvalidity);
  CHECK(db.count("mailbox_messages WHERE mailbox_id = " + std::to_string(made->id)) == 1);
  (void)work_before;

  CHECK(rename_mailbox(db.conn, joe, "Nope", "X").error().code == ErrorCode::NotFound);
  CHECK(rename_mailbox(db.conn, joe, "Sent", "Trash").error().code == ErrorCode::AlreadyExists);
  CHECK(rename_mailbox(db.conn, joe, "Sent", "INBOX").error().code == ErrorCode::AlreadyExists);
  CHECK(rename_mailbox(db.conn, joe, "Archive", "Archive/Deeper").error().code == ErrorCode::InvalidInput);
}

TEST_CASE("RENAME INBOX moves its messages to a new mailbox and leaves INBOX empty", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  put(db, joe, "INBOX", "one", {"\\Seen"});
  put(db, joe, "INBOX", "two", {"$Work"});
  REQUIRE(create_mailbox(db.conn, joe, "INBOX/Child").ok());
  auto before = find_mailbox(db.conn, joe, "INBOX");
  REQUIRE(rename_mailbox(db.conn, joe, "inbox", "Old Mail").ok());

  auto inbox = mailbox_status(db.conn, joe, "INBOX");
  REQUIRE(inbox.ok());
  CHECK(inbox->messages == 0);
  CHECK(inbox->uidnext == 3);  // UIDs are not reused
  CHECK(inbox->uidvalidity == (*before)->uidvalidity);
  CHECK(db.value("SELECT string_agg(uid::text, ',' ORDER BY uid) FROM expunged_messages") == "1,2");
  CHECK(db.count("mailboxes WHERE name = 'INBOX/Child'") == 1);  // children of INBOX stay

  auto old = select_mailbox(db.conn, joe, "Old Mail", SelectMode::ReadOnly);
  REQUIRE(old.ok());
  REQUIRE(old->messages.size() == 2);
  CHECK(old->messages[0].uid == 1);
  CHECK(old->messages[0].flags == std::vector<std::string>{"\\Seen"});
  CHECK(old->messages[1].keywords == std::vector<std::string>{"$Work"});
  CHECK(old->uidnext == 3);
  CHECK(rename_mailbox(db.conn, joe, "INBOX", "Old Mail").error().code == ErrorCode::AlreadyExists);
}

TEST_CASE("subscriptions are names, listed in order", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  REQUIRE(subscribe_mailbox(db.conn, joe, "Sent").ok());
  REQUIRE(subscribe_mailbox(db.conn, joe, "inbox").ok());
  REQUIRE(subscribe_mailbox(db.conn, joe, "Not/There").ok());
  REQUIRE(subscribe_mailbox(db.conn, joe, "Sent").ok());  // twice is fine
  auto subs = list_subscriptions(db.conn, joe);
  REQUIRE(subs.ok());
  CHECK(*subs == std::vector<std::string>{"INBOX", "Not/There", "Sent"});
  REQUIRE(unsubscribe_mailbox(db.conn, joe, "Sent").ok());
  CHECK(unsubscribe_mailbox(db.conn, joe, "Sent").error().code == ErrorCode::NotFound);
  CHECK(list_subscriptions(db.conn, joe)->size() == 2);
}

TEST_CASE("STATUS counts messages, recent, unseen and size", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  auto first = put(db, joe, "INBOX", "one", {"\\Seen"});
  put(db, joe, "INBOX", "two");
  auto empty = mailbox_status(db.conn, joe, "Drafts");
  REQUIRE(empty.ok());
  CHECK(empty->messages == 0);
  CHECK(empty->size == 0);

  auto s = mailbox_status(db.conn, joe, "INBOX");
  REQUIRE(s.ok());
  CHECK(s->messages == 2);
  CHECK(s->recent == 2);
  CHECK(s->unseen == 1);
  CHECK(s->uidnext == 3);
  CHECK(s->uidvalidity == first.uidvalidity);
  CHECK(s->highest_modseq == 3);
  CHECK(s->size == static_cast<int64_t>(std::string("Subject: one\r\n\r\none\r\n").size() * 2));
  REQUIRE(select_mailbox(db.conn, joe, "INBOX", SelectMode::ReadWrite).ok());
  CHECK(mailbox_status(db.conn, joe, "INBOX")->recent == 0);
  CHECK(mailbox_status(db.conn, joe, "Nope").error().code == ErrorCode::NotFound);
}
