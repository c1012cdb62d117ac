// Distribution lists and their members. A list's name follows the account
// name rules and is never an account's name. Each function opens and commits
// its own transaction (database worker threads only).
// Errors: InvalidInput (name, comment, member), AlreadyExists (an account or
// list has the name; a member twice), NotFound, Unavailable/Internal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct ListInfo {
  int64_t id = 0;
  std::string name;
  std::string comment;
  bool allow_internet = false;       // mail from outside may reach the list
  std::vector<std::string> members;  // local names or addresses, in order added
};

// Members are trimmed; blank ones are ignored and repeats (ignoring case)
// kept once, as when pasted one per line.
struct NewList {
  std::string name;
  std::string comment;
  bool allow_internet = false;
  std::vector<std::string> members;
};

struct ListChanges {
  std::optional<std::string> comment;
  std::optional<bool> allow_internet;
};

Expected<ListInfo> create_list(pqxx::connection& conn, const NewList& list);
Expected<ListInfo> get_list(pqxx::connection& conn, std::string_view name);
Expected<std::vector<ListInfo>> list_lists(pqxx::connection& conn);  // by name
Expected<void> update_list(pqxx::connection& conn, std::string_view name, const ListChanges& changes);
// Also deletes the mappings whose target is the list.
Expected<void> delete_list(pqxx::connection& conn, std::string_view name);

Expected<void> add_list_member(pqxx::connection& conn, std::string_view list, std::string_view address);
Expected<void> remove_list_member(pqxx::connection& conn, std::string_view list, std::string_view address);
// Replaces every member (same cleaning as NewList).
Expected<void> set_list_members(pqxx::connection& conn, std::string_view list,
                                const std::vector<std::string>& members);

// Inside the caller's transaction: every list with its members, by name.
std::vector<ListInfo> read_lists(pqxx::transaction_base& tx);

}  // namespace pillarbox::store
