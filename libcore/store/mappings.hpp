// Mappings (aliases): pattern -> target, in route::Mapping's shape. Patterns
// are stored as written; their matching (wildcards, PCRE2) is libcore/route's.
// Each function opens and commits its own transaction (worker threads only).
// Errors: InvalidInput (pattern, comment), NotFound (a target that is not an
// account, a list, an address, "remote" or "no-one"; deleting a missing
// mapping), AlreadyExists (same pattern, type, target and collector).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/route/table.hpp"

namespace pillarbox::store {

std::string_view to_string(route::MappingType type);  // "always", "smtp", "pop3", "from"
std::optional<route::MappingType> parse_mapping_type(std::string_view text);  // any case

// Adds `mapping` (its id is ignored); returns it with the new id.
Expected<route::Mapping> add_mapping(pqxx::connection& conn, const route::Mapping& mapping);

Expected<void> delete_mapping(pqxx::connection& conn, int64_t id);
// Deletes every mapping with this pattern (and this target, when given);
// returns how many. NotFound when none.
Expected<int64_t> delete_mappings(pqxx::connection& conn, std::string_view pattern,
                                  const std::optional<std::string>& target = std::nullopt);

// By id (creation order).
Expected<std::vector<route::Mapping>> list_mappings(pqxx::connection& conn);

// Inside the caller's transaction.
std::vector<route::Mapping> read_mappings(pqxx::transaction_base& tx);

}  // namespace pillarbox::store
