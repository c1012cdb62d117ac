// Internal to proto/imap: the argument parsers of the larger command
// families, each in its own file, called by parser.cpp with the reader just
// after the command name and its SP. Each reads up to the end of the command.
#pragma once

#include "libcore/base/expected.hpp"
#include "proto/imap/command.hpp"
#include "proto/imap/reader.hpp"

namespace pillarbox::imap::detail {

Expected<FetchArgs> parse_fetch_args(Reader& r, bool uid);    // parse_fetch.cpp
Expected<StoreArgs> parse_store_args(Reader& r);              // parse_store.cpp
Expected<SearchArgs> parse_search_args(Reader& r);            // parse_search.cpp
Expected<SelectArgs> parse_select_args(Reader& r);            // parse_mailbox.cpp
Expected<ListArgs> parse_list_args(Reader& r, bool lsub);     // parse_mailbox.cpp
Expected<StatusArgs> parse_status_args(Reader& r);            // parse_mailbox.cpp
Expected<AppendArgs> parse_append_args(Reader& r);            // parse_mailbox.cpp

// Shorthand: turn a failed Expected into the caller's failure.
inline Unexpected error_of(const Error& e) { return Unexpected{e}; }
inline Unexpected bad(std::string message) { return fail(ErrorCode::InvalidInput, std::move(message)); }

}  // namespace pillarbox::imap::detail

// Evaluates `expr` (an Expected); returns its error from the enclosing
// function on failure, else binds the value to `var`.
#define IMAP_TRY(var, expr)                                      \
  auto var##_result_ = (expr);                                   \
  if (!var##_result_) return ::pillarbox::Unexpected{var##_result_.error()}; \
  auto var = std::move(*var##_result_)

#define IMAP_CHECK(expr)                                         \
  do {                                                           \
    auto check_result_ = (expr);                                 \
    if (!check_result_) return ::pillarbox::Unexpected{check_result_.error()}; \
  } while (false)
