// EXPUNGE and UID EXPUNGE: only \Deleted messages go, UIDs are recorded with
// the new MODSEQ and never reused; changes_since reports them as vanished
// beside flag changes and new messages (QRESYNC, sessions catching up).
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_changes.hpp"
#include "libcore/store/imap_expunge.hpp"
#include "libcore/store/imap_flags.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

struct Box {
  int64_t account = 0, mailbox = 0;
};

Box with_messages(test::StoreDb& db, int n) {
  NewAccount acc;
  acc.name = "joe";
  auto made = create_account(db.conn, acc);
  if (!made) FAIL(made.error().describe());
  Box b{made->id, 0};
  for (int i = 1; i <= n; ++i) {
    AppendRequest r;
    r.raw = "Subject: " + std::to_string(i) + "\r\n\r\nx\r\n";
    auto a = append_message(db.conn, b.account, "INBOX", r);
    if (!a) FAIL(a.error().describe());
    b.mailbox = a->mailbox_id;
  }
  return b;  // UIDs 1..n, MODSEQ 2..n+1
}

void mark_deleted(test::StoreDb& db, const Box& b, const std::vector<int64_t>& uids) {
  auto s = store_flags(db.conn, b.mailbox, uids, {FlagOp::Add, {"\\Deleted"}, std::nullopt});
  if (!s) FAIL(s.error().describe());
}

}  // namespace

TEST_CASE("EXPUNGE removes \\Deleted messages and records them", "[store][imap][db]") {
  test::StoreDb db;
  Box b = with_messages(db, 4);
  mark_deleted(db, b, {2, 4});  // HIGHESTMODSEQ 6
  auto gone = expunge_deleted(db.conn, b.mailbox);
  REQUIRE(gone.ok());
  CHECK(gone->uids == std::vector<int64_t>{2, 4});
  CHECK(gone->highest_modseq == 7);
  CHECK(db.value("SELECT string_agg(uid || ':' || modseq, ',' ORDER BY uid) FROM expunged_messages") ==
        "2:7,4:7");
  CHECK(db.value("SELECT string_agg(uid::text, ',' ORDER BY uid) FROM mailbox_messages") == "1,3");

  auto nothing = expunge_deleted(db.conn, b.mailbox);
  REQUIRE(nothing.ok());
  CHECK(nothing->uids.empty());
  CHECK(nothing->highest_modseq == 7);

  // UIDs are never reused.
  AppendRequest r;
  r.raw = "Subject: 5\r\n\r\nx\r\n";
  CHECK(append_message(db.conn, b.account, "INBOX", r)->uid == 5);
  CHECK(expunge_deleted(db.conn, b.mailbox + 100).error().code == ErrorCode::NotFound);
}

TEST_CASE("UID EXPUNGE removes only the listed \\Deleted messages", "[store][imap][db]") {
  test::StoreDb db;
  Box b = with_messages(db, 4);
  mark_deleted(db, b, {1, 2, 3});
  auto gone = expunge_deleted(db.conn, b.mailbox, std::vector<int64_t>{2, 3, 4});
  REQUIRE(gone.ok());
  CHECK(gone->uids == std::vector<int64_t>{2, 3});
  CHECK(db.value("SELECT string_agg(uid::text, ',' ORDER BY uid) FROM mailbox_messages") == "1,4");
  auto none = expunge_deleted(db.conn, b.mailbox, std::vector<int64_t>{});
  REQUIRE(none.ok());
  CHECK(none->uids.empty());
}

TEST_CASE("changes_since reports changed, new and vanished messages", "[store][imap][db]") {
  test::StoreDb db;
  Box b = with_messages(db, 3);  // HIGHESTMODSEQ 4
  const int64_t since = 4;
  mark_deleted(db, b, {1});                             // 5
  REQUIRE(expunge_deleted(db.conn, b.mailbox).ok());    // 6
  REQUIRE(store_flags(db.conn, b.mailbox, {3}, {FlagOp::Add, {"\\Seen"}, std::nullopt}).ok());  // 7
  Delivery d;
  d.raw = "Subject: new\r\n\r\nnew\r\n";
  d.local_accounts = {b.account};
  REQUIRE(deliver(db.conn, d).ok());  // UID 4, MODSEQ 8

  auto c = changes_since(db.conn, b.mailbox, since);
  REQUIRE(c.ok());
  CHECK(c->highest_modseq == 8);
  CHECK(c->uidnext == 5);
  CHECK(c->messages == 3);
  CHECK(c->vanished == std::vector<int64_t>{1});
  REQUIRE(c->changed.size() == 2);
  CHECK(c->changed[0].uid == 3);
  CHECK(c->changed[0].modseq == 7);
  CHECK(c->changed[0].flags == std::vector<std::string>{"\\Seen"});
  CHECK(c->changed[1].uid == 4);

  auto later = changes_since(db.conn, b.mailbox, 8);
  REQUIRE(later.ok());
  CHECK(later->changed.empty());
  CHECK(later->vanished.empty());
  CHECK(changes_since(db.conn, b.mailbox + 100, 0).error().code == ErrorCode::NotFound);
}
