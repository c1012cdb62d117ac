// Conversions between C++ values and PostgreSQL ones that libpqxx 6.4 does
// not do for us (text[] literals both ways, nullable columns), and the
// transaction type of reads that must see one consistent snapshot.
// Helpers for the store's own files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/result>
#include <pqxx/transaction>

namespace pillarbox::store {

// Several SELECTs that must agree with each other (a list and its members).
using SnapshotRead = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// {"a","b\"c"}: every element quoted and escaped; usable as $n::text[].
std::string to_pg_array(const std::vector<std::string>& items);

// The elements of a one-dimensional text[] column; NULL elements are skipped,
// a NULL array gives an empty vector.
std::vector<std::string> from_pg_array(const pqxx::field& f);

std::optional<int64_t> optional_int(const pqxx::field& f);
std::optional<int> optional_int32(const pqxx::field& f);

}  // namespace pillarbox::store
