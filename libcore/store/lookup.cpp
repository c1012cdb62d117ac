// Lookups by lower(name): served by the unique expression indexes of 0002.
#include "libcore/store/lookup.hpp"

#include <string>

#include <pqxx/result>

namespace pillarbox::store {
namespace {

std::optional<int64_t> first_id(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

}  // namespace

std::optional<int64_t> find_account_id(pqxx::transaction_base& tx, std::string_view name) {
  return first_id(tx.exec_params("SELECT id FROM accounts WHERE lower(name) = lower($1)",
                                 std::string(name)));
}

std::optional<int64_t> find_list_id(pqxx::transaction_base& tx, std::string_view name) {
  return first_id(tx.exec_params("SELECT id FROM lists WHERE lower(name) = lower($1)",
                                 std::string(name)));
}

}  // namespace pillarbox::store
