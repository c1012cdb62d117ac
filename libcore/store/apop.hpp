// APOP secrets of accounts (column accounts.apop_secret): stored sealed with
// the server key by the caller (libcore/crypto); the store never sees the
// plaintext. Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// Sets the sealed secret, or with nullopt turns APOP off for the account.
// NotFound for an unknown account.
Expected<void> set_apop_secret(pqxx::connection& conn, std::string_view name, const std::optional<std::string>& sealed);

struct ApopAccount {
  int64_t id = 0;
  std::string name;    // as stored
  std::string sealed;  // the sealed secret
};

// The account for an APOP login. PermissionDenied "invalid login or
// password" (the verify_login reply) when it is unknown, has no APOP
// secret, is disabled or expired; the context says which, for the log.
Expected<ApopAccount> apop_account(pqxx::connection& conn, std::string_view name);

}  // namespace pillarbox::store
