// FETCH reads: only the columns asked for, skipped UIDs, whole raw bytes and
// byte ranges (BODY[]<partial>).
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_fetch.hpp"

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

const std::string kRaw = "Subject: hi\r\nFrom: a@example.com\r\n\r\nHello, world\r\n";

}  // namespace

TEST_CASE("FETCH returns the items asked for, by UID", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  AppendRequest r;
  r.raw = kRaw;
  r.meta.envelope = "(NIL \"hi\" NIL NIL NIL NIL NIL NIL NIL NIL)";
  r.meta.body = "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 14 1)";
  r.meta.bodystructure = "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 14 1 NIL NIL NIL NIL)";
  r.meta.parts = "{\"header\":[0,36],\"body\":[36,14]}";
  r.flags = {"\\Flagged", "$Todo"};
  r.internal_date = 1769904000;
  auto a = append_message(db.conn, joe, "INBOX", r);
  REQUIRE(a.ok());
  r.raw = "Subject: two\r\n\r\n2\r\n";
  r.flags = {};
  REQUIRE(append_message(db.conn, joe, "INBOX", r).ok());

  FetchItems flags_only;
  flags_only.flags = true;
  auto f = fetch_messages(db.conn, a->mailbox_id, {2, 1, 7}, flags_only);
  REQUIRE(f.ok());
  REQUIRE(f->size() == 2);
  CHECK((*f)[0].uid == 1);
  CHECK((*f)[0].flags == std::vector<std::string>{"\\Flagged"});
  CHECK((*f)[0].keywords == std::vector<std::string>{"$Todo"});
  CHECK((*f)[0].envelope.empty());
  CHECK((*f)[0].raw.empty());
  CHECK((*f)[0].size == 0);  // not asked for

  FetchItems all;
  all.flags = all.modseq = all.internal_date = all.size = all.envelope = all.body = all.bodystructure = all.parts =
      all.raw = true;
  auto full = fetch_messages(db.conn, a->mailbox_id, {1}, all);
  REQUIRE(full.ok());
  REQUIRE(full->size() == 1);
  const FetchedMessage& m = full->front();
  CHECK(m.modseq == a->modseq);
  CHECK(m.internal_date == 1769904000);
  CHECK(m.size == static_cast<int64_t>(kRaw.size()));
  CHECK(m.envelope == r.meta.envelope);
  CHECK(m.body == r.meta.body);
  CHECK(m.bodystructure == r.meta.bodystructure);
  CHECK(m.parts == r.meta.parts);
  CHECK(m.raw == kRaw);
  CHECK(fetch_messages(db.conn, a->mailbox_id, {}, all)->empty());
}

TEST_CASE("byte ranges of raw messages, in request order", "[store][imap][db]") {
  test::StoreDb db;
  const int64_t joe = make(db, "joe");
  AppendRequest r;
  r.raw = kRaw;
  auto a = append_message(db.conn, joe, "INBOX", r);
  REQUIRE(a.ok());
  auto got = fetch_ranges(db.conn, a->mailbox_id,
                          {{1, 36, -1}, {1, 0, 7}, {9, 0, 5}, {1, 43, 100}, {1, 500, 10}});
  REQUIRE(got.ok());
  REQUIRE(got->size() == 5);
  CHECK((*got)[0] == std::optional<std::string>("Hello, world\r\n"));
  CHECK((*got)[1] == std::optional<std::string>("Subject"));
  CHECK_FALSE((*got)[2].has_value());
  CHECK((*got)[3] == std::optional<std::string>("world\r\n"));
  CHECK((*got)[4] == std::optional<std::string>(""));
  CHECK(fetch_ranges(db.conn, a->mailbox_id, {{1, -1, 2}}).error().code == ErrorCode::InvalidInput);
}
