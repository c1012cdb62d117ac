// Per-account forwarding, assistants (admin guide 4.5) and size-dependent
// copy/redirect, in the shapes route::Account uses. Each public function
// opens and commits its own transaction (database worker threads only).
// Errors: NotFound (no such account), InvalidInput (an address, a date or
// a time out of range), Unavailable/Internal (database).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/route/table.hpp"

namespace pillarbox::store {

enum class ForwardKind { Forward, Assistant };

struct Forwarding {
  std::vector<std::string> addresses;  // local names or name@domain
  bool enabled = false;                // off keeps the addresses
  bool redirect = false;               // no local copy
  route::Window window;
};

// Unset settings read as a default Forwarding (off, no addresses).
Expected<Forwarding> get_forwarding(pqxx::connection& conn, std::string_view account, ForwardKind kind);
Expected<void> set_forwarding(pqxx::connection& conn, std::string_view account, ForwardKind kind,
                              const Forwarding& forwarding);

// The rules replace the account's previous ones, kept in the given order.
Expected<std::vector<route::SizeRule>> get_size_rules(pqxx::connection& conn, std::string_view account);
Expected<void> set_size_rules(pqxx::connection& conn, std::string_view account,
                              const std::vector<route::SizeRule>& rules);

// Inside the caller's transaction: fills forward_*, assistant* and
// size_rules of every account in `accounts` (matched by id).
void read_all_forwarding(pqxx::transaction_base& tx, std::vector<route::Account>& accounts);

}  // namespace pillarbox::store
