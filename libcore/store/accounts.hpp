// Accounts: create (with their default mailboxes), read, change, delete, and
// the login check. Each function opens and commits its own transaction on
// `conn`. Password hashing costs tens of milliseconds (libcore/auth): call
// these from database worker threads only, never from an event loop.
// Errors: InvalidInput (name, comment, password), AlreadyExists (an account
// or a list has the name), NotFound, InUse, PermissionDenied (login), and
// Unavailable/Internal from the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct NewAccount {
  std::string name;                     // 1-32 of [A-Za-z0-9._-]
  std::optional<std::string> password;  // none: no password login until one is set
  bool admin = false;
  bool enabled = true;
  std::string comment;                  // at most 80 characters
  std::optional<int64_t> expires_at;    // Unix time; none: never expires
};

struct AccountInfo {
  int64_t id = 0;
  std::string name;
  bool admin = false;
  bool enabled = true;
  bool has_password = false;
  std::string comment;
  std::optional<int64_t> expires_at;  // Unix time
  int64_t created_at = 0;             // Unix time
};

// Only the fields set are changed. expires_at: nullopt = keep,
// optional(nullopt) = never expires.
struct AccountChanges {
  std::optional<bool> admin;
  std::optional<bool> enabled;
  std::optional<std::string> comment;
  std::optional<std::optional<int64_t>> expires_at;
};

// Creates the account, INBOX and Sent/Drafts/Trash/Junk in one transaction.
// The password must pass auth::valid_password with the minimum length of
// setting auth.password_min_length (default 5).
Expected<AccountInfo> create_account(pqxx::connection& conn, const NewAccount& account);

Expected<AccountInfo> get_account(pqxx::connection& conn, std::string_view name);
Expected<std::vector<AccountInfo>> list_accounts(pqxx::connection& conn);  // by name
Expected<void> update_account(pqxx::connection& conn, std::string_view name, const AccountChanges& changes);

// Sets (or with nullopt removes) the login password.
Expected<void> set_password(pqxx::connection& conn, std::string_view name,
                            const std::optional<std::string>& password);

// Deletes the account, its mailboxes and messages, its forwarding settings
// and the mappings whose target it is (its aliases). An account holding
// messages is refused with InUse unless `delete_messages` is set. Live
// sessions are the daemons' business.
Expected<void> delete_account(pqxx::connection& conn, std::string_view name, bool delete_messages);

// The account id when `password` is right and the account is enabled and
// not expired. Otherwise PermissionDenied "invalid login or password" —
// the same message, and about the same time, for an unknown account, a
// wrong password, a disabled or expired account (the context, for the log
// only, says which).
Expected<int64_t> verify_login(pqxx::connection& conn, std::string_view name, std::string_view password);

}  // namespace pillarbox::store
