// Server-wide settings (table `settings` of migration 0001): one JSON value
// per dotted key. Each function opens and commits its own transaction on
// `conn`; call from a database worker thread, never from an event loop.
// Errors: InvalidInput (bad key or JSON), Unavailable/Internal (database).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

// Keys the store itself reads.
namespace setting {
inline constexpr std::string_view kPasswordMinLength = "auth.password_min_length";  // number, default 5
inline constexpr std::string_view kCatchAllAccount = "route.catch_all_account";     // string, "" = none
inline constexpr std::string_view kDisableDefaultSmtpMappings = "route.disable_default_smtp_mappings";
inline constexpr std::string_view kDisableDefaultCollectorMappings = "route.disable_default_collector_mappings";
}  // namespace setting

// The value as JSON text ("5", "\"joe\"", "{...}"); nullopt when unset.
Expected<std::optional<std::string>> get_setting(pqxx::connection& conn, std::string_view key);

// Sets `key` to `json` (any JSON value). InvalidInput when `json` does not
// parse or the key is not of letters, digits, '.', '_', '-'.
Expected<void> set_setting(pqxx::connection& conn, std::string_view key, std::string_view json);

// NotFound when unset.
Expected<void> delete_setting(pqxx::connection& conn, std::string_view key);

// Every (key, JSON value), by key.
Expected<std::vector<std::pair<std::string, std::string>>> list_settings(pqxx::connection& conn);

// Inside the caller's transaction: a scalar setting as text (a JSON string
// unquoted, a number or boolean as written); nullopt when unset or null.
std::optional<std::string> setting_text(pqxx::transaction_base& tx, std::string_view key);

}  // namespace pillarbox::store
