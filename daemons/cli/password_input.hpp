// Reads a new password for `account add --password-stdin` and `account
// passwd`: from a terminal, prompted on stderr without echo and asked twice;
// from a pipe, the first line. Never takes a password from argv (it would
// show in ps and shell history). The rules are the store's to check.
#pragma once

#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::cli {

// InvalidInput "no password on standard input" for empty input or EOF, and
// "the passwords do not match" when the terminal entries differ.
Expected<std::string> read_new_password(std::string_view account);

}  // namespace pillarbox::cli
