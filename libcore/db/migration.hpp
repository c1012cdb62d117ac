// One numbered schema migration, and the list compiled into the binary from
// libcore/db/migrations/NNNN_name.sql by cmake/PillarboxEmbed.cmake.
// Data only: applying them is libcore/db/migrations.hpp.
#pragma once

#include <string>
#include <vector>

namespace pillarbox::db {

struct Migration {
  int number = 0;    // NNNN from the file name; forward-only, never reused
  std::string name;  // the part after "NNNN_"
  std::string sql;   // run as one transaction; must not BEGIN/COMMIT itself
};

// Every migration this program knows, sorted by file name (generated source).
extern const std::vector<Migration> kMigrations;

}  // namespace pillarbox::db
