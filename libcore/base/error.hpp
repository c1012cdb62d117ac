// Error values for expected runtime failures (STYLE.md "Errors"): a small fixed
// set of codes, a message safe to show a user, and context for the log.
// Vocabulary only: std-level, so proto/ may use it too. No I/O here.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox {

enum class ErrorCode {
  Temporary,         // try again later (4xx)
  Unavailable,       // a dependency (database, bus) is down
  InvalidInput,      // the request itself is wrong
  PermissionDenied,  // not allowed for this caller
  QuotaExceeded,
  NotFound,
  AlreadyExists,
  InUse,             // held by someone else (locks, sessions)
  TooBig,
  Internal,          // a bug or an unexpected failure
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;  // safe for users
  std::string context;  // detail for the log only

  Error() = default;
  Error(ErrorCode c, std::string msg, std::string ctx = {})
      : code(c), message(std::move(msg)), context(std::move(ctx)) {}

  // "code: message (context)" for log lines.
  std::string describe() const;
};

}  // namespace pillarbox
