// Input rules of the directory, checked before any SQL runs so that users get
// a clear InvalidInput message (the schema's CHECK constraints back them up).
// Pure functions; no database access.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

inline constexpr std::size_t kMaxNameLength = 32;
inline constexpr std::size_t kMaxComment = 80;
inline constexpr std::size_t kMaxAddress = 320;

// 1-32 of letters, digits, '.', '_', '-', and not a reserved mapping target
// ("remote", "no-one"). `kind` names the thing in the message:
// "invalid account name 'a b': use 1-32 letters, digits, '.', '_' or '-'".
Expected<void> check_name(std::string_view kind, std::string_view name);

// One line of at most 80 characters (UTF-8 code points).
Expected<void> check_comment(std::string_view comment);

// Host name labels (letters, digits, '-') joined by '.', at most 253 bytes;
// with `allow_wildcards` also '*' and '?' (accepted domains).
Expected<void> check_domain(std::string_view name, bool allow_wildcards);

// A local name or local@domain: no spaces, control characters, '<', '>',
// ',' or ';', at most 320 bytes, no empty side around '@'. `what` names the
// field: "invalid forward address 'a b': ...".
Expected<void> check_address(std::string_view what, std::string_view address);

// "remote" or "no-one" (any case): the special mapping targets.
bool is_reserved_target(std::string_view name);

std::size_t utf8_length(std::string_view text);
// `text` with every invalid UTF-8 sequence replaced by U+FFFD and NUL bytes
// dropped: what a PostgreSQL text column accepts.
std::string to_valid_utf8(std::string_view text);
std::string to_lower(std::string_view text);  // ASCII only, as names are
std::string trim(std::string_view text);

}  // namespace pillarbox::store
