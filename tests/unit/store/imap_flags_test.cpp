// STORE: replace/add/remove of flags and keywords, one MODSEQ step per
// STORE for the messages changed, UNCHANGEDSINCE conflicts (RFC 7162), the
// implicit \Seen, and the flags that cannot be stored.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_flags.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

using Flags = std::vector<std::string>;

struct Box {
  int64_t account = 0, mailbox = 0;
};

Box three_messages(test::StoreDb& db) {
  NewAccount acc;
  acc.name = "joe";
  auto made = create_account(db.conn, acc);
  if (!made) FAIL(made.error().describe());
  Box b{made->id, 0};
  for (int i = 1; i <= 3; ++i) {
    AppendRequest r;
    r.raw = "Subject: " + std::to_string(i) + "\r\n\r\nx\r\n";
    auto a = append_message(db.conn, b.account, "INBOX", r);
    if (!a) FAIL(a.error().describe());
    b.mailbox = a->mailbox_id;
  }
  return b;  // UIDs 1-3 with MODSEQ 2-4, HIGHESTMODSEQ 4
}

}  // namespace

TEST_CASE("+FLAGS, -FLAGS and FLAGS change only what differs, with one new MODSEQ", "[store][imap][db]") {
  test::StoreDb db;
  Box b = three_messages(db);
  REQUIRE(store_flags(db.conn, b.mailbox, {1}, {FlagOp::Add, {"\\Seen"}, std::nullopt}).ok());

  auto added = store_flags(db.conn, b.mailbox, {1, 2, 9}, {FlagOp::Add, {"\\seen", "\\Flagged", "$Work"}, {}});
  REQUIRE(added.ok());
  CHECK(added->highest_modseq == 6);
  REQUIRE(added->changed.size() == 2);
  CHECK(added->changed[0].uid == 1);
  CHECK(added->changed[0].flags == Flags{"\\Flagged", "\\Seen"});
  CHECK(added->changed[0].keywords == Flags{"$Work"});
  CHECK(added->changed[0].modseq == 6);
  CHECK(added->changed[1].uid == 2);
  CHECK(added->changed[1].modseq == 6);
  CHECK(added->unchanged.empty());
  CHECK(added->modified.empty());

  auto again = store_flags(db.conn, b.mailbox, {1, 2}, {FlagOp::Add, {"\\Flagged", "$work"}, {}});
  REQUIRE(again.ok());
  CHECK(again->changed.empty());
  REQUIRE(again->unchanged.size() == 2);
  CHECK(again->unchanged[0].modseq == 6);
  CHECK(again->highest_modseq == 6);  // nothing changed, no new MODSEQ
  CHECK(db.value("SELECT keywords FROM mailbox_messages WHERE uid = 1") == "{$Work}");

  auto removed = store_flags(db.conn, b.mailbox, {1}, {FlagOp::Remove, {"\\Seen", "$WORK"}, {}});
  REQUIRE(removed.ok());
  REQUIRE(removed->changed.size() == 1);
  CHECK(removed->changed[0].flags == Flags{"\\Flagged"});
  CHECK(removed->changed[0].keywords.empty());
  CHECK(removed->changed[0].modseq == 7);

  auto replaced = store_flags(db.conn, b.mailbox, {1, 2, 3}, {FlagOp::Replace, {"\\Deleted", "Junk"}, {}});
  REQUIRE(replaced.ok());
  REQUIRE(replaced->changed.size() == 3);
  for (const auto& m : replaced->changed) {
    CHECK(m.flags == Flags{"\\Deleted"});
    CHECK(m.keywords == Flags{"Junk"});
    CHECK(m.modseq == 8);
  }
  CHECK(db.value("SELECT highest_modseq FROM mailboxes WHERE id = " + std::to_string(b.mailbox)) == "8");
}

TEST_CASE("UNCHANGEDSINCE leaves newer messages alone and reports them", "[store][imap][db]") {
  test::StoreDb db;
  Box b = three_messages(db);
  // Message 3 has MODSEQ 4, the others 2 and 3.
  auto stored = store_flags(db.conn, b.mailbox, {1, 2, 3}, {FlagOp::Add, {"\\Answered"}, int64_t{3}});
  REQUIRE(stored.ok());
  CHECK(stored->modified == std::vector<int64_t>{3});
  REQUIRE(stored->changed.size() == 2);
  CHECK(stored->changed[0].uid == 1);
  CHECK(stored->changed[1].uid == 2);
  CHECK(stored->changed[1].modseq == 5);
  CHECK(db.value("SELECT flags FROM mailbox_messages WHERE uid = 3") == "{}");
  CHECK(db.value("SELECT modseq FROM mailbox_messages WHERE uid = 3") == "4");

  auto zero = store_flags(db.conn, b.mailbox, {1}, {FlagOp::Add, {"\\Seen"}, int64_t{0}});
  REQUIRE(zero.ok());
  CHECK(zero->modified == std::vector<int64_t>{1});
  CHECK(zero->changed.empty());
}

TEST_CASE("\\Recent, unknown system flags and bad keywords are refused", "[store][imap][db]") {
  test::StoreDb db;
  Box b = three_messages(db);
  CHECK(store_flags(db.conn, b.mailbox, {1}, {FlagOp::Add, {"\\Recent"}, {}}).error().code ==
        ErrorCode::InvalidInput);
  CHECK(store_flags(db.conn, b.mailbox, {1}, {FlagOp::Add, {"\\Important"}, {}}).error().message ==
        "unknown system flag \\Important");
  CHECK(store_flags(db.conn, b.mailbox, {1}, {FlagOp::Add, {"two words"}, {}}).error().code ==
        ErrorCode::InvalidInput);
  CHECK(store_flags(db.conn, b.mailbox + 100, {1}, {FlagOp::Add, {"\\Seen"}, {}}).error().code ==
        ErrorCode::NotFound);
  CHECK(db.value("SELECT highest_modseq FROM mailboxes WHERE id = " + std::to_string(b.mailbox)) == "4");
}

TEST_CASE("mark_seen returns only the messages it changed", "[store][imap][db]") {
  test::StoreDb db;
  Box b = three_messages(db);
  REQUIRE(mark_seen(db.conn, b.mailbox, {2})->size() == 1);
  auto seen = mark_seen(db.conn, b.mailbox, {1, 2, 3});
  REQUIRE(seen.ok());
  REQUIRE(seen->size() == 2);
  CHECK((*seen)[0].uid == 1);
  CHECK((*seen)[1].uid == 3);
  CHECK((*seen)[1].flags == Flags{"\\Seen"});
  CHECK((*seen)[1].modseq == 6);
}
