// Name lookups shared by the store's files, inside the caller's transaction.
// Accounts and lists share one name space and compare ignoring case.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <pqxx/transaction_base>

namespace pillarbox::store {

std::optional<int64_t> find_account_id(pqxx::transaction_base& tx, std::string_view name);
std::optional<int64_t> find_list_id(pqxx::transaction_base& tx, std::string_view name);

}  // namespace pillarbox::store
