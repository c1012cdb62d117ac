// The migrations runner against a real PostgreSQL (TempPostgres): fresh
// databases, idempotence, concurrent starters, rollback of a failing step,
// refusal of a newer schema, and the pillarbox_config notifications of 0001.
#include <catch2/catch.hpp>

#include <chrono>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <pqxx/transaction>

#include "libcore/db/migrations.hpp"
#include "tests/support/pg_fixture.hpp"

using pillarbox::ErrorCode;
using pillarbox::Expected;
using pillarbox::db::apply_migrations;
using pillarbox::db::kMigrations;
using pillarbox::db::Migration;
using pillarbox::test::TempPostgres;

namespace {

// kMigrations followed by `extra` trivial ones, each a plain CREATE TABLE
// that would fail if it were applied twice.
std::vector<Migration> with_extras(int extra) {
  std::vector<Migration> list = kMigrations;
  int next = list.back().number + 1;
  for (int i = 0; i < extra; ++i, ++next) {
    list.push_back({next, "extra" + std::to_string(next),
                    "CREATE TABLE extra" + std::to_string(next) + " (id int PRIMARY KEY);"});
  }
  return list;
}

std::string query_value(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c{conninfo};
  pqxx::nontransaction tx{c};
  auto r = tx.exec1(sql);
  return r[0].is_null() ? "NULL" : r[0].c_str();
}

int recorded_count(const std::string& conninfo) {
  return std::stoi(query_value(conninfo, "SELECT count(*) FROM schema_migrations"));
}

class Collector : public pqxx::notification_receiver {
 public:
  explicit Collector(pqxx::connection_base& c) : pqxx::notification_receiver(c, "pillarbox_config") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

}  // namespace

TEST_CASE("a fresh database gets every migration", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  auto applied = apply_migrations(conn);
  REQUIRE(applied.ok());
  CHECK(*applied == static_cast<int>(kMigrations.size()));
  CHECK(recorded_count(db) == static_cast<int>(kMigrations.size()));
  CHECK(query_value(db, "SELECT name FROM schema_migrations WHERE number = 1") == "settings");
  // psql \d+ must be readable: the tables and the trigger function carry comments.
  CHECK(query_value(db, "SELECT obj_description('settings'::regclass, 'pg_class') IS NOT NULL") == "t");
  CHECK(query_value(db, "SELECT obj_description('schema_migrations'::regclass, 'pg_class') IS NOT NULL") == "t");
  CHECK(query_value(db, "SELECT obj_description('pillarbox_config_changed'::regproc, 'pg_proc') IS NOT NULL") == "t");
}

TEST_CASE("applying again applies nothing", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  REQUIRE(apply_migrations(conn).ok());
  auto again = apply_migrations(conn);
  REQUIRE(again.ok());
  CHECK(*again == 0);
  CHECK(recorded_count(db) == static_cast<int>(kMigrations.size()));
}

TEST_CASE("only the missing migrations are applied", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  REQUIRE(apply_migrations(conn).ok());
  auto more = apply_migrations(conn, with_extras(2));
  REQUIRE(more.ok());
  CHECK(*more == 2);
  CHECK(recorded_count(db) == static_cast<int>(kMigrations.size()) + 2);
}

TEST_CASE("two concurrent starters apply each migration exactly once", "[migrations][db]") {
  const auto list = with_extras(6);
  for (int round = 0; round < 3; ++round) {
    const std::string db = TempPostgres::shared().create_database();
    pqxx::connection a{db};
    pqxx::connection b{db};
    std::latch start(2);
    std::vector<Expected<int>> results(2, Expected<int>(0));
    auto run = [&](pqxx::connection& conn, std::size_t slot) {
      start.arrive_and_wait();
      results[slot] = apply_migrations(conn, list);
    };
    std::thread ta(run, std::ref(a), 0);
    std::thread tb(run, std::ref(b), 1);
    ta.join();
    tb.join();
    INFO("round " << round);
    REQUIRE(results[0].ok());
    REQUIRE(results[1].ok());
    CHECK(*results[0] + *results[1] == static_cast<int>(list.size()));
    CHECK(recorded_count(db) == static_cast<int>(list.size()));
  }
}

TEST_CASE("a failing migration rolls back and keeps earlier ones", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  auto list = kMigrations;
  const int bad = list.back().number + 1;
  list.push_back({bad, "broken", "CREATE TABLE half_done (id int);\nSELECT * FROM nope;"});
  auto r = apply_migrations(conn, list);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::Internal);
  CHECK(r.error().message == "migration " + pillarbox::db::migration_label(list.back()) +
                                 " failed: 42P01: relation \"nope\" does not exist");
  CHECK(r.error().context.find("LINE 2") != std::string::npos);
  CHECK(query_value(db, "SELECT to_regclass('half_done') IS NULL") == "t");
  CHECK(query_value(db, "SELECT count(*) FROM schema_migrations WHERE number = " +
                            std::to_string(bad)) == "0");
  CHECK(recorded_count(db) == static_cast<int>(kMigrations.size()));

  // The connection stays usable, and a fixed list goes on from there.
  list.back().sql = "CREATE TABLE half_done (id int);";
  auto fixed = apply_migrations(conn, list);
  REQUIRE(fixed.ok());
  CHECK(*fixed == 1);
}

TEST_CASE("a database newer than the program is refused", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  const auto list = with_extras(2);
  REQUIRE(apply_migrations(conn, list).ok());
  const int known = list.back().number;
  {
    pqxx::work tx{conn};
    tx.exec_params0("INSERT INTO schema_migrations (number, name) VALUES ($1, 'future')", known + 2);
    tx.commit();
  }
  auto r = apply_migrations(conn, list);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "database schema " + std::to_string(known + 2) +
                                 " is newer than this program (" + std::to_string(known) + ")");
}

TEST_CASE("an invalid list is refused before touching the database", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  auto r = apply_migrations(conn, {{1, "a", "SELECT 1"}, {1, "b", "SELECT 1"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(query_value(db, "SELECT to_regclass('schema_migrations') IS NULL") == "t");
}

TEST_CASE("changing settings notifies pillarbox_config", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  REQUIRE(apply_migrations(conn).ok());

  pqxx::connection listener{db};
  Collector collector{listener};
  for (const char* sql : {"INSERT INTO settings (key, value) VALUES ('test.a', '1'), ('test.b', '2')",
                          "UPDATE settings SET value = '3'", "DELETE FROM settings WHERE key = 'test.a'",
                          "TRUNCATE settings"}) {
    pqxx::work tx{conn};
    tx.exec0(sql);
    tx.commit();
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (collector.payloads.size() < 4 && std::chrono::steady_clock::now() < deadline) {
    listener.await_notification(1, 0);
  }
  // One notification per statement, whatever the number of rows.
  REQUIRE(collector.payloads.size() == 4);
  CHECK(collector.payloads[0] == R"({"table" : "settings", "op" : "INSERT"})");
  CHECK(collector.payloads[1] == R"({"table" : "settings", "op" : "UPDATE"})");
  CHECK(collector.payloads[2] == R"({"table" : "settings", "op" : "DELETE"})");
  CHECK(collector.payloads[3] == R"({"table" : "settings", "op" : "TRUNCATE"})");
}

TEST_CASE("updating a setting refreshes updated_at", "[migrations][db]") {
  const std::string db = TempPostgres::shared().create_database();
  pqxx::connection conn{db};
  REQUIRE(apply_migrations(conn).ok());
  pqxx::work tx{conn};
  tx.exec0("INSERT INTO settings (key, value, updated_at) VALUES ('test.a', '1', '2000-01-01')");
  auto row = tx.exec1("UPDATE settings SET value = '2' WHERE key = 'test.a' RETURNING updated_at = now()");
  CHECK(row[0].as<bool>());
}
