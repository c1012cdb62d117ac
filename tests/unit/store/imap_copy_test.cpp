// COPY and MOVE: COPYUID pairs from the target's UIDNEXT, flags, keywords
// and INTERNALDATE carried, bodies shared, MOVE leaving no source rows and
// recording the expunges, TRYCREATE for a missing target.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_copy.hpp"
#include "libcore/store/imap_fetch.hpp"
#include "libcore/store/imap_mailboxes.hpp"
#include "libcore/store/imap_select.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

using Pairs = std::vector<std::pair<int64_t, int64_t>>;

struct Box {
  int64_t account = 0, inbox = 0;
};

Box setup(test::StoreDb& db) {
  NewAccount acc;
  acc.name = "joe";
  auto made = create_account(db.conn, acc);
  if (!made) FAIL(made.error().describe());
  Box b{made->id, 0};
  for (int i = 1; i <= 4; ++i) {
    AppendRequest r;
    r.raw = "Subject: " + std::to_string(i) + "\r\n\r\nx\r\n";
    if (i == 2) r.flags = {"\\Seen", "$Work"};
    r.internal_date = 1769904000 + i;
    auto a = append_message(db.conn, b.account, i == 4 ? "Trash" : "INBOX", r);  // Trash gets UID 1
    if (!a) FAIL(a.error().describe());
    if (i == 1) b.inbox = a->mailbox_id;
  }
  return b;  // INBOX UIDs 1-3; Trash UID 1, UIDNEXT 2
}

}  // namespace

TEST_CASE("COPY allocates target UIDs in source order and shares bodies", "[store][imap][db]") {
  test::StoreDb db;
  Box b = setup(db);
  auto trash = find_mailbox(db.conn, b.account, "Trash");
  REQUIRE(trash.ok());
  auto copied = copy_messages(db.conn, b.account, b.inbox, {3, 2, 9}, "Trash");
  REQUIRE(copied.ok());
  CHECK(copied->target_uidvalidity == (*trash)->uidvalidity);
  CHECK(copied->uids == Pairs{{2, 2}, {3, 3}});
  CHECK(copied->expunged.empty());
  CHECK(db.count("bodies") == 4);
  CHECK(db.count("mailbox_messages") == 6);

  FetchItems items;
  items.flags = items.internal_date = items.modseq = true;
  auto got = fetch_messages(db.conn, copied->target_id, {2, 3}, items);
  REQUIRE(got.ok());
  REQUIRE(got->size() == 2);
  CHECK((*got)[0].flags == std::vector<std::string>{"\\Seen"});
  CHECK((*got)[0].keywords == std::vector<std::string>{"$Work"});
  CHECK((*got)[0].internal_date == 1769904002);
  CHECK((*got)[0].modseq == (*got)[1].modseq);
  CHECK(db.value("SELECT uidnext FROM mailboxes WHERE name = 'Trash'") == "4");
  CHECK(db.count("mailbox_messages WHERE mailbox_id = " + std::to_string(b.inbox)) == 3);

  // The copies are \Recent for the next session selecting the target.
  auto sel = select_mailbox(db.conn, b.account, "Trash", SelectMode::ReadWrite);
  REQUIRE(sel.ok());
  CHECK(sel->recent == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("MOVE leaves no source rows and records the expunges", "[store][imap][db]") {
  test::StoreDb db;
  Box b = setup(db);
  auto moved = move_messages(db.conn, b.account, b.inbox, {1, 3}, "Trash");
  REQUIRE(moved.ok());
  CHECK(moved->uids == Pairs{{1, 2}, {3, 3}});
  CHECK(moved->expunged == std::vector<int64_t>{1, 3});
  CHECK(db.value("SELECT string_agg(uid::text, ',' ORDER BY uid) FROM mailbox_messages WHERE mailbox_id = " +
                 std::to_string(b.inbox)) == "2");
  CHECK(db.value("SELECT string_agg(uid || ':' || modseq, ',' ORDER BY uid) FROM expunged_messages") ==
        "1:" + std::to_string(moved->source_highest_modseq) + ",3:" + std::to_string(moved->source_highest_modseq));
  CHECK(db.value("SELECT highest_modseq FROM mailboxes WHERE id = " + std::to_string(b.inbox)) ==
        std::to_string(moved->source_highest_modseq));
  CHECK(db.count("mailbox_messages") == 4);
}

TEST_CASE("COPY to a missing mailbox is NotFound with TRYCREATE and changes nothing", "[store][imap][db]") {
  test::StoreDb db;
  Box b = setup(db);
  auto missing = move_messages(db.conn, b.account, b.inbox, {1}, "Nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message == "[TRYCREATE] no mailbox 'Nope'");
  CHECK(db.count("mailbox_messages") == 4);

  NewAccount other;
  other.name = "ann";
  auto ann = create_account(db.conn, other);
  REQUIRE(ann.ok());
  // Another account's INBOX is not a target, and its mailbox not a source.
  CHECK(copy_messages(db.conn, ann->id, b.inbox, {1}, "INBOX").error().code == ErrorCode::NotFound);
  auto empty = copy_messages(db.conn, b.account, b.inbox, {42}, "Sent");
  REQUIRE(empty.ok());
  CHECK(empty->uids.empty());
  CHECK(db.value("SELECT uidnext FROM mailboxes WHERE account_id = " + std::to_string(b.account) +
                 " AND name = 'Sent'") == "1");
}
