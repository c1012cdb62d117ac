// Names of error codes and the one-line description used in logs.
#include "libcore/base/error.hpp"

namespace pillarbox {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::Temporary: return "temporary";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::InvalidInput: return "invalid input";
    case ErrorCode::PermissionDenied: return "permission denied";
    case ErrorCode::QuotaExceeded: return "quota exceeded";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::AlreadyExists: return "already exists";
    case ErrorCode::InUse: return "in use";
    case ErrorCode::TooBig: return "too big";
    case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out(to_string(code));
  out += ": ";
  out += message;
  if (!context.empty()) {
    out += " (";
    out += context;
    out += ")";
  }
  return out;
}

}  // namespace pillarbox
