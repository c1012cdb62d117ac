// Collectors against a real database: configuration with its input rules and
// exact messages, passwords never read back, claims (live owners skipped,
// dead owners' claims taken over), run results, and the UIDL bookkeeping
// (oversize, release, leave on server N days).
#include "tests/unit/store/store_fixture.hpp"

#include <memory>

#include "libcore/store/collectors.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr int64_t kDay = 86400;

Collector collector(const std::string& name) {
  Collector c;
  c.name = name;
  c.server = "pop.remote.example";
  c.account = "joe";
  c.sealed_password = "v1:c2VhbGVk";
  c.accepted_domains = {"here.example", "*.here.example"};
  return c;
}

// The InvalidInput message check_collector gives after `change`.
template <class F>
std::string invalid(F change) {
  Collector c = collector("home");
  c.port = 110;
  change(c);
  auto ok = check_collector(c);
  if (ok) return "ok";
  CHECK(ok.error().code == ErrorCode::InvalidInput);
  return ok.error().message;
}

// Another session holding instance `key`'s lock: that instance is alive.
struct LiveInstance {
  pqxx::connection conn;
  LiveInstance(const std::string& conninfo, int32_t key) : conn(conninfo) {
    pqxx::nontransaction tx{conn};
    tx.exec_params("SELECT pg_advisory_lock($1, $2)", kCollectorLockNamespace, key);
  }
};

void make_due(test::StoreDb& db, int64_t at) {
  db.value("WITH u AS (UPDATE collector_status SET next_run_at = to_timestamp(" + std::to_string(at) +
           ") RETURNING 1) SELECT count(*) FROM u");
}

}  // namespace

TEST_CASE("collectors are created, read, listed, changed and deleted; passwords never come back",
          "[store][collector][db]") {
  test::StoreDb db;
  auto made = create_collector(db.conn, collector("home"));
  REQUIRE(made);
  CHECK(made->port == 110);
  CHECK(made->sealed_password.empty());
  CHECK(made->mode == CollectorMode::Headers);
  CHECK(made->accepted_domains == std::vector<std::string>{"here.example", "*.here.example"});
  CHECK_FALSE(made->status.last_run_at);
  CHECK_FALSE(made->status.claimed_by);
  CHECK(db.value("SELECT convert_from(password, 'UTF8') FROM collectors") == "v1:c2VhbGVk");

  Collector work = collector("Work");
  work.tls = CollectorTls::Implicit;
  work.auth = CollectorAuth::CramMd5;
  work.mode = CollectorMode::Forward;
  work.accepted_domains.clear();
  work.target = "joe@elsewhere.example";
  work.envelope_command = "*ENV";
  work.leave_days = 7;
  work.max_message_size = 1000000;
  REQUIRE(create_collector(db.conn, work));
  CHECK(get_collector(db.conn, "work")->port == 995);
  CHECK(get_collector(db.conn, "WORK")->envelope_command == "*ENV");

  auto dup = create_collector(db.conn, collector("HOME"));
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == ErrorCode::AlreadyExists);
  CHECK(dup.error().message == "collector 'HOME' already exists");

  auto all = list_collectors(db.conn);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).name == "home");
  CHECK(all->at(1).name == "Work");
  CHECK(all->at(1).auth == CollectorAuth::CramMd5);
  CHECK(all->at(1).sealed_password.empty());

  CollectorChanges ch;
  ch.mode = CollectorMode::Deliver;
  ch.target = "sales";
  ch.interval_minutes = 5;
  ch.enabled = false;
  ch.sealed_password = "v1:bmV3";
  auto changed = update_collector(db.conn, "HOME", ch);
  REQUIRE(changed);
  CHECK(changed->mode == CollectorMode::Deliver);
  CHECK(changed->target == "sales");
  CHECK(changed->interval_minutes == 5);
  CHECK_FALSE(changed->enabled);
  CHECK(changed->sealed_password.empty());
  CHECK(db.value("SELECT convert_from(password, 'UTF8') FROM collectors WHERE name = 'home'") == "v1:bmV3");

  CollectorChanges rename;
  rename.name = "work";
  auto taken = update_collector(db.conn, "home", rename);
  REQUIRE_FALSE(taken);
  CHECK(taken.error().message == "collector 'work' already exists");
  CollectorChanges bad;
  bad.port = 70000;
  CHECK(update_collector(db.conn, "home", bad).error().message == "invalid collector port 70000: use 1-65535");
  CHECK(update_collector(db.conn, "nope", bad).error().message == "no collector 'nope'");

  auto loaded = load_enabled_collectors(db.conn);
  REQUIRE(loaded);
  REQUIRE(loaded->size() == 1);
  CHECK(loaded->at(0).name == "Work");
  CHECK(loaded->at(0).sealed_password == "v1:c2VhbGVk");

  REQUIRE(record_uidl(db.conn, made->id, "a1", UidlEvent::Delivered, kNow));
  REQUIRE(delete_collector(db.conn, "home"));
  CHECK(db.count("collector_uidls") == 0);
  CHECK(db.count("collector_status") == 1);
  auto gone = delete_collector(db.conn, "home");
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == ErrorCode::NotFound);
  CHECK(gone.error().message == "no collector 'home'");
  auto missing = get_collector(db.conn, "home");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "no collector 'home'");
}

TEST_CASE("collector input rules give exact messages", "[store][collector]") {
  CHECK(invalid([](Collector&) {}) == "ok");
  CHECK(invalid([](Collector& c) { c.name = "a b"; }) ==
        "invalid collector name 'a b': use 1-64 letters, digits, '.', '_' or '-'");
  CHECK(invalid([](Collector& c) { c.name = std::string(65, 'a'); }) ==
        "invalid collector name '" + std::string(65, 'a') + "': use 1-64 letters, digits, '.', '_' or '-'");
  CHECK(invalid([](Collector& c) { c.server = "pop .example"; }) ==
        "invalid collector server 'pop .example': use a host name or an IP address");
  CHECK(invalid([](Collector& c) { c.server = "2001:db8::1"; }) == "ok");
  CHECK(invalid([](Collector& c) { c.port = 0; }) == "invalid collector port 0: use 1-65535");
  CHECK(invalid([](Collector& c) { c.account = ""; }) ==
        "invalid collector account '': use 1-255 characters without control characters");
  CHECK(invalid([](Collector& c) { c.account = "joe smith"; }) == "ok");
  CHECK(invalid([](Collector& c) { c.sealed_password = ""; }) == "collector 'home' needs a password");
  CHECK(invalid([](Collector& c) { c.interval_minutes = 0; }) ==
        "invalid collector interval 0 minutes: use 1-10080 (one week)");
  CHECK(invalid([](Collector& c) { c.max_message_size = -1; }) ==
        "invalid maximum message size -1: use 0 (no limit) or a number of bytes");
  CHECK(invalid([](Collector& c) { c.leave_days = 3651; }) ==
        "invalid days to leave on the server 3651: use 0 (delete once stored) to 3650");
  CHECK(invalid([](Collector& c) { c.envelope_command = "X ENV"; }) ==
        "invalid envelope command 'X ENV': use 1-32 printable characters without spaces, such as *ENV");
  CHECK(invalid([](Collector& c) { c.target = "joe"; }) ==
        "a collector routing by headers takes no target: give a fallback account instead");
  CHECK(invalid([](Collector& c) { c.accepted_domains = {"bad domain"}; }).rfind("invalid domain 'bad domain'", 0) ==
        0);
  CHECK(invalid([](Collector& c) { c.header_fields = {"X-Original-To:"}; }) ==
        "invalid header field name 'X-Original-To:': use 1-64 printable characters other than ':' and space");
  CHECK(invalid([](Collector& c) { c.header_fields = {"X-Original-To", "Delivered-To"}; }) == "ok");
  CHECK(invalid([](Collector& c) { c.fallback_account = "a b"; }) ==
        "invalid fallback account name 'a b': use 1-32 letters, digits, '.', '_' or '-'");
  CHECK(invalid([](Collector& c) {
          c.mode = CollectorMode::Deliver;
          c.target = "";
        }) == "invalid account or list name '': use 1-32 letters, digits, '.', '_' or '-'");
  CHECK(invalid([](Collector& c) {
          c.mode = CollectorMode::Forward;
          c.target = "a b@example.com";
        }).rfind("invalid forward address 'a b@example.com'", 0) == 0);

  CHECK(to_string(CollectorAuth::CramMd5) == "cram-md5");
  CHECK(parse_collector_auth("APOP") == CollectorAuth::Apop);
  CHECK(parse_collector_tls("STLS") == CollectorTls::Stls);
  CHECK_FALSE(parse_collector_tls("starttls"));
  CHECK(parse_collector_mode("Forward") == CollectorMode::Forward);
}

TEST_CASE("the schema describes the collector tables and signals configuration changes",
          "[store][collector][db]") {
  test::StoreDb db;
  CHECK(db.value("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname IN "
                 "('collectors', 'collector_status', 'collector_uidls') "
                 "AND obj_description(oid, 'pg_class') IS NOT NULL") == "3");
  CHECK(db.value("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                 "WHERE c.relname IN ('collectors', 'collector_status', 'collector_uidls') AND a.attnum > 0 "
                 "AND NOT a.attisdropped AND a.attname NOT IN ('id', 'collector_id', 'created_at') "
                 "AND col_description(c.oid, a.attnum) IS NULL") == "0");
  CHECK(db.value("SELECT string_agg(c.relname, ',') FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                 "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'pillarbox_config_changed' "
                 "AND c.relname LIKE 'collector%'") == "collectors");
}

TEST_CASE("claim_due_collector: one run at a time; a live owner's claim is skipped, a dead one's taken over",
          "[store][collector][db]") {
  test::StoreDb db;
  auto home = create_collector(db.conn, collector("home"));
  REQUIRE(home);
  Collector off = collector("off");
  off.enabled = false;
  REQUIRE(create_collector(db.conn, off));
  make_due(db, kNow);

  CHECK(seconds_until_collector_due(db.conn, kNow - 60)->value() == 60);
  CHECK_FALSE(claim_due_collector(db.conn, 11, kNow - 1)->has_value());  // not due yet

  auto live = std::make_unique<LiveInstance>(db.conninfo, 11);
  auto first = claim_due_collector(db.conn, 11, kNow);
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK((*first)->name == "home");
  CHECK((*first)->sealed_password == "v1:c2VhbGVk");
  CHECK((*first)->status.claimed_by == 11);
  CHECK((*first)->status.claimed_at == kNow);

  // Running: nobody else gets it, the disabled one is never due, the timer sees nothing.
  CHECK_FALSE(claim_due_collector(db.conn, 22, kNow + 10)->has_value());
  CHECK_FALSE(seconds_until_collector_due(db.conn, kNow)->has_value());
  CHECK(get_collector(db.conn, "home")->status.claimed_by == 11);

  // Instance 11 dies: its claim is taken over at once; 11's finish is refused.
  live.reset();
  auto taken = claim_due_collector(db.conn, 22, kNow + 20);
  REQUIRE(taken);
  REQUIRE(taken->has_value());
  CHECK((*taken)->status.claimed_by == 22);
  auto late = finish_run(db.conn, 11, home->id, CollectorResult::Ok, "", 3, kNow + 600);
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ErrorCode::InUse);
  CHECK(late.error().message == "collector " + std::to_string(home->id) + " is not claimed by this instance");

  REQUIRE(finish_run(db.conn, 22, home->id, CollectorResult::Partial, "-ERR mailbox locked", 2, kNow + 900));
  auto after = get_collector(db.conn, "home");
  REQUIRE(after);
  CHECK_FALSE(after->status.claimed_by);
  CHECK_FALSE(after->status.claimed_at);
  CHECK(after->status.last_run_at == kNow + 20);
  CHECK(after->status.last_result == CollectorResult::Partial);
  CHECK(after->status.last_error == "-ERR mailbox locked");
  CHECK(after->status.fetched == 2);
  CHECK(after->status.next_run_at == kNow + 900);
  CHECK_FALSE(claim_due_collector(db.conn, 22, kNow + 899)->has_value());
  CHECK(seconds_until_collector_due(db.conn, kNow + 800)->value() == 100);
  CHECK(claim_due_collector(db.conn, 33, kNow + 900)->has_value());
}

TEST_CASE("UIDLs: seen once, oversize left until released, deleted after leave days", "[store][collector][db]") {
  test::StoreDb db;
  auto home = create_collector(db.conn, collector("home"));
  REQUIRE(home);
  const int64_t id = home->id;

  REQUIRE(record_uidl(db.conn, id, "old", UidlEvent::Delivered, kNow - 10 * kDay));
  REQUIRE(record_uidl(db.conn, id, "new", UidlEvent::Delivered, kNow - kDay));
  REQUIRE(record_uidl(db.conn, id, "big", UidlEvent::Oversize, kNow - 20 * kDay));
  REQUIRE(record_uidl(db.conn, id, "failed", UidlEvent::Seen, kNow - 20 * kDay));
  REQUIRE(record_uidl(db.conn, id, "failed", UidlEvent::Seen, kNow));  // first_seen stays
  auto bad = record_uidl(db.conn, id, "a b", UidlEvent::Seen, kNow);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "invalid UIDL 'a b': use 1-70 printable characters without spaces");

  auto known = known_uidls(db.conn, id);
  REQUIRE(known);
  REQUIRE(known->size() == 4);
  CHECK(known->at("old").state == UidlState::Delivered);
  CHECK(known->at("old").first_seen == kNow - 10 * kDay);
  CHECK(known->at("big").state == UidlState::Oversize);
  CHECK(known->at("failed").state == UidlState::Seen);
  CHECK(known->at("failed").first_seen == kNow - 20 * kDay);

  // Leave on server: 0 days deletes every stored one; 7 only the old one.
  CHECK(*uidls_to_delete(db.conn, id, 0, kNow) == std::vector<std::string>{"old", "new"});
  CHECK(*uidls_to_delete(db.conn, id, 7, kNow) == std::vector<std::string>{"old"});
  CHECK(uidls_to_delete(db.conn, id, 11, kNow)->empty());
  REQUIRE(mark_deleted(db.conn, id, {"old"}, kNow));
  CHECK(known_uidls(db.conn, id)->at("old").state == UidlState::Deleted);
  CHECK(*uidls_to_delete(db.conn, id, 0, kNow) == std::vector<std::string>{"new"});

  // Oversize: released by an administrator, downloaded by the next run.
  auto not_big = release_oversize(db.conn, "HOME", "new");
  REQUIRE_FALSE(not_big);
  CHECK(not_big.error().code == ErrorCode::NotFound);
  CHECK(not_big.error().message == "collector 'home' has no oversize message 'new'");
  CHECK(release_oversize(db.conn, "nope", "big").error().message == "no collector 'nope'");
  REQUIRE(release_oversize(db.conn, "home", "big"));
  CHECK(known_uidls(db.conn, id)->at("big").state == UidlState::Released);
  REQUIRE(record_uidl(db.conn, id, "big", UidlEvent::Oversize, kNow));  // listed again: still released
  CHECK(known_uidls(db.conn, id)->at("big").state == UidlState::Released);
  REQUIRE(record_uidl(db.conn, id, "big", UidlEvent::Delivered, kNow));
  CHECK(known_uidls(db.conn, id)->at("big").state == UidlState::Delivered);
  CHECK(known_uidls(db.conn, id)->at("big").first_seen == kNow - 20 * kDay);
  CHECK(db.value("SELECT released FROM collector_uidls WHERE uidl = 'big'") == "f");
}
