// The schema migrations runner: brings a database up to the newest schema this
// program knows, applying each missing migration in its own transaction.
// Forward-only: there is no "down"; a database newer than the program is
// refused rather than touched. Runs at start-up on the caller's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/db/migration.hpp"

namespace pillarbox::db {

// Key of the transaction-scoped advisory lock every migration step takes, so
// that processes starting together apply each migration exactly once.
// ("PBXMIGRA" in ASCII.) Advisory locks are per database.
inline constexpr std::int64_t kMigrationLockKey = 0x5042584D49475241;

// "0002_accounts": how a migration is named in logs and errors.
std::string migration_label(const Migration& m);

// The list sorted by number. InvalidInput when a number is below 1 or appears
// twice. Pure.
Expected<std::vector<Migration>> ordered(std::vector<Migration> migrations);

// Creates schema_migrations if missing, then applies every migration of
// `migrations` not recorded there, in number order, each in its own
// transaction (advisory lock, re-check, SQL, record, commit). Returns how many
// this call applied (0 when the schema was current).
// Errors, with every earlier migration kept and the failing one rolled back:
//   InvalidInput  the list is invalid (see ordered()), or the database holds a
//                 migration newer than the newest in `migrations`;
//   Internal      a migration failed: "migration 0002_x failed: SQLSTATE: text";
//   Unavailable   the connection broke.
// Logs one info line per migration applied. Never throws.
Expected<int> apply_migrations(pqxx::connection& conn,
                               const std::vector<Migration>& migrations = kMigrations);

}  // namespace pillarbox::db
