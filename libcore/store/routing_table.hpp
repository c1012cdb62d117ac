// load_routing_table: the whole route::Table read in one consistent snapshot
// (REPEATABLE READ, read-only), for route::resolve to work on without I/O.
// Callers reload it on config.changed. Database worker threads only.
// Errors: Unavailable/Internal from the database.
#pragma once

#include <pqxx/connection>

#include "libcore/base/expected.hpp"
#include "libcore/route/table.hpp"

namespace pillarbox::store {

// Domains by name; accounts by id with their forwarding, assistants and size
// rules; mappings by id; lists by name with members in order; catch-all and
// the "disable default mappings" switches from the route.* settings.
// An account that has expired is loaded with enabled = false (the table
// knows no times; a reload after the expiry time is the caller's business).
Expected<route::Table> load_routing_table(pqxx::connection& conn);

}  // namespace pillarbox::store
