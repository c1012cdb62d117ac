// Applies schema migrations. Each step runs in its own transaction behind one
// advisory lock, so concurrent starters serialise; the re-check under the lock
// (READ COMMITTED: each statement sees the latest commits) makes the loser skip.
#include "libcore/db/migrations.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/base/log.hpp"

namespace pillarbox::db {
namespace {

const std::string& lock_sql() {
  static const std::string sql =
      "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
  return sql;
}

constexpr const char* kCreateTableSql = R"sql(
CREATE TABLE schema_migrations (
  number     int PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE schema_migrations IS
  'Schema migrations applied to this database, one row each (libcore/db/migrations/NNNN_name.sql).';
)sql";

// The server's primary message: the first line, without "ERROR:  ".
std::string first_line(const std::string& what) {
  std::string line = what.substr(0, what.find('\n'));
  auto sep = line.find(":  ");
  if (sep != std::string::npos && sep < 16) line.erase(0, sep + 3);
  return line;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Turns whatever libpqxx threw while doing `what` into an Error value.
Unexpected database_failure(const std::string& what) {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return fail(ErrorCode::Unavailable, what + " failed: database connection lost",
                trimmed(e.what()));
  } catch (const pqxx::sql_error& e) {
    std::string reason = first_line(e.what());
    if (!e.sqlstate().empty()) reason = e.sqlstate() + ": " + reason;
    return fail(ErrorCode::Internal, what + " failed: " + reason, trimmed(e.what()));
  } catch (const std::exception& e) {
    return fail(ErrorCode::Internal, what + " failed: " + first_line(e.what()),
                trimmed(e.what()));
  }
}

struct Recorded {
  std::set<int> numbers;
  int newest = 0;
};

// Creates schema_migrations when missing (under the lock: two concurrent
// CREATE TABLE IF NOT EXISTS can still collide) and reads what it records.
Recorded prepare_table(pqxx::connection& conn) {
  pqxx::work tx{conn};
  tx.exec1(lock_sql());
  if (tx.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>()) {
    tx.exec(kCreateTableSql);
  }
  Recorded out;
  for (const auto& row : tx.exec("SELECT number FROM schema_migrations")) {
    int n = row[0].as<int>();
    out.numbers.insert(n);
    out.newest = std::max(out.newest, n);
  }
  tx.commit();
  return out;
}

// Applies one migration unless another process recorded it first. Throws
// what libpqxx throws; the transaction then rolls back in its destructor.
bool apply_one(pqxx::connection& conn, const Migration& m) {
  pqxx::work tx{conn};
  tx.exec1(lock_sql());
  if (!tx.exec_params("SELECT 1 FROM schema_migrations WHERE number = $1", m.number).empty()) {
    tx.abort();
    return false;
  }
  tx.exec(m.sql);
  tx.exec_params0("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", m.number,
                  m.name);
  tx.commit();
  return true;
}

}  // namespace

std::string migration_label(const Migration& m) {
  char number[16];
  std::snprintf(number, sizeof number, "%04d", m.number);
  return std::string(number) + "_" + m.name;
}

Expected<std::vector<Migration>> ordered(std::vector<Migration> migrations) {
  std::stable_sort(migrations.begin(), migrations.end(),
                   [](const Migration& a, const Migration& b) { return a.number < b.number; });
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const Migration& m = migrations[i];
    if (m.number < 1) {
      return fail(ErrorCode::InvalidInput,
                  "migration " + migration_label(m) + ": number must be 1 or more");
    }
    if (i > 0 && migrations[i - 1].number == m.number) {
      return fail(ErrorCode::InvalidInput, "migration number " + std::to_string(m.number) +
                                               " is used twice (" +
                                               migration_label(migrations[i - 1]) + ", " +
                                               migration_label(m) + ")");
    }
  }
  return migrations;
}

Expected<int> apply_migrations(pqxx::connection& conn, const std::vector<Migration>& migrations) {
  auto list = ordered(migrations);
  if (!list) return Unexpected{list.error()};
  const int known = list->empty() ? 0 : list->back().number;

  Recorded recorded;
  try {
    recorded = prepare_table(conn);
  } catch (...) {
    return database_failure("preparing schema_migrations");
  }
  if (recorded.newest > known) {
    return fail(ErrorCode::InvalidInput, "database schema " + std::to_string(recorded.newest) +
                                             " is newer than this program (" +
                                             std::to_string(known) + ")");
  }

  int applied = 0;
  for (const Migration& m : *list) {
    if (recorded.numbers.count(m.number)) continue;
    const std::string label = migration_label(m);
    try {
      if (!apply_one(conn, m)) continue;
    } catch (...) {
      return database_failure("migration " + label);
    }
    log::info("migration {} applied", label);
    ++applied;
  }
  return applied;
}

}  // namespace pillarbox::db
