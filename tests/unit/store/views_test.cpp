// The psql views: mailbox_sizes, account_usage, queue_summary and
// queue_overview, and a COMMENT on every table and view.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

void fill(test::StoreDb& db) {
  NewAccount a;
  a.name = "joe";
  auto joe = create_account(db.conn, a);
  a.name = "kate";
  auto kate = create_account(db.conn, a);
  REQUIRE(joe.ok());
  REQUIRE(kate.ok());
  Delivery d;
  d.raw = "Subject: one\r\n\r\n1234567890\r\n";  // 28 bytes
  d.local_accounts = {joe->id, kate->id};
  d.remote = {{"bob@remote.example", "", ""}, {"eve@remote.example", "", ""}};
  REQUIRE(deliver(db.conn, d).ok());
  d.raw = "Subject: two\r\n\r\n12345\r\n";  // 23 bytes
  d.local_accounts = {joe->id};
  d.remote.clear();
  REQUIRE(deliver(db.conn, d).ok());
  CHECK(db.value("WITH u AS (UPDATE mailbox_messages SET flags = ARRAY['\\Seen'] WHERE uid = 1 RETURNING 1) "
                 "SELECT count(*) FROM u") == "2");
}

}  // namespace

TEST_CASE("mailbox_sizes and account_usage count messages unseen and bytes", "[store][views][db]") {
  test::StoreDb db;
  fill(db);
  CHECK(db.value("SELECT messages || '/' || unseen || '/' || bytes FROM mailbox_sizes "
                 "WHERE account = 'joe' AND mailbox = 'INBOX'") == "2/1/51");
  CHECK(db.value("SELECT count(*) FROM mailbox_sizes") == "10");
  CHECK(db.value("SELECT sum(messages) FROM mailbox_sizes WHERE mailbox <> 'INBOX'") == "0");
  CHECK(db.value("SELECT special_use FROM mailbox_sizes WHERE account = 'kate' AND mailbox = 'Trash'") ==
        "\\Trash");
  CHECK(db.value("SELECT mailboxes || '/' || messages || '/' || bytes || '/' || inbox_messages || '/' || "
                 "inbox_unseen FROM account_usage WHERE account = 'joe'") == "5/2/51/2/1");
  CHECK(db.value("SELECT messages || '/' || bytes FROM account_usage WHERE account = 'kate'") == "1/28");
}

TEST_CASE("queue_summary and queue_overview describe the queue", "[store][views][db]") {
  test::StoreDb db;
  fill(db);
  CHECK(db.value("SELECT status || '/' || held || '/' || recipients || '/' || messages FROM queue_summary") ==
        "pending/false/2/1");
  db.value("UPDATE queue_recipients SET status = 'failed', last_error = '550 5.1.1 no such user' "
           "WHERE address = 'eve@remote.example' RETURNING 1");
  CHECK(db.value("SELECT count(*) FROM queue_summary") == "2");
  CHECK(db.value("SELECT size || '/' || pending || '/' || done || '/' || failed || '/' || errors "
                 "FROM queue_overview") == "28/1/0/1/550 5.1.1 no such user");
}

namespace {

// The tables and views of migrations 0001-0004.
const char* kRelations =
    "'settings', 'domains', 'accounts', 'account_forwarding', 'account_size_rules', 'mappings', 'lists', "
    "'list_members', 'access_rules', 'mailboxes', 'subscriptions', 'bodies', 'mailbox_messages', "
    "'expunged_messages', 'mailbox_sizes', 'account_usage', 'queue_messages', 'queue_recipients', "
    "'queue_summary', 'queue_overview'";

}  // namespace

TEST_CASE("every table and view carries a comment", "[store][views][db]") {
  test::StoreDb db;
  CHECK(db.value(std::string("SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'v') AND relname IN (") +
                 kRelations + ") AND obj_description(oid, 'pg_class') IS NOT NULL") == "20");
}

TEST_CASE("every configuration table has the config-changed trigger", "[store][views][db]") {
  test::StoreDb db;
  CHECK(db.value("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_trigger t "
                 "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                 "WHERE p.proname = 'pillarbox_config_changed' AND c.relname IN (" + std::string(kRelations) +
                 ")") ==
        "access_rules,account_forwarding,account_size_rules,accounts,domains,list_members,lists,"
        "mappings,settings");
}
