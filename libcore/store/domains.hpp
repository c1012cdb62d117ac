// Local and accepted mail domains (table `domains`). Each function opens and
// commits its own transaction on `conn` (database worker threads only).
// Errors: InvalidInput (bad name or comment), AlreadyExists, NotFound,
// Unavailable/Internal (database).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

enum class DomainKind { Local, Accepted };

std::string_view to_string(DomainKind kind);  // "local", "accepted"

struct Domain {
  int64_t id = 0;
  std::string name;
  DomainKind kind = DomainKind::Local;
  std::string comment;
};

// Accepted domains may hold the wildcards '*' and '?'. Names compare
// ignoring case: adding "Example.COM" twice as local gives AlreadyExists.
Expected<Domain> add_domain(pqxx::connection& conn, std::string_view name, DomainKind kind,
                            std::string_view comment = {});
Expected<void> delete_domain(pqxx::connection& conn, std::string_view name, DomainKind kind);
// By kind (local first), then name.
Expected<std::vector<Domain>> list_domains(pqxx::connection& conn);

// Inside the caller's transaction.
std::vector<Domain> read_domains(pqxx::transaction_base& tx);

}  // namespace pillarbox::store
