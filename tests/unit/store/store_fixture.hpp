// A fresh database with every migration applied, and small query helpers,
// for the store tests. One per test case: cases never see each other's rows.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "libcore/db/migrations.hpp"
#include "tests/support/pg_fixture.hpp"

namespace pillarbox::test {

struct StoreDb {
  std::string conninfo = TempPostgres::shared().create_database();
  pqxx::connection conn{conninfo};

  StoreDb() {
    auto applied = db::apply_migrations(conn);
    if (!applied) FAIL("migrations: " << applied.error().describe());
  }

  // The first column of the one row `sql` returns, as text ("NULL" for null).
  std::string value(const std::string& sql) {
    pqxx::nontransaction tx{conn};
    auto r = tx.exec1(sql);
    return r[0].is_null() ? "NULL" : r[0].as<std::string>();
  }

  int64_t count(const std::string& table_and_where) {
    return std::stoll(value("SELECT count(*) FROM " + table_and_where));
  }
};

}  // namespace pillarbox::test
