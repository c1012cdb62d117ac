// Unit tests for libcore/base/error: the name of every ErrorCode and the
// "code: message (context)" line used in logs.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "libcore/base/error.hpp"

using namespace pillarbox;

TEST_CASE("to_string names every error code", "[error]") {
  CHECK(to_string(ErrorCode::Temporary) == "temporary");
  CHECK(to_string(ErrorCode::Unavailable) == "unavailable");
  CHECK(to_string(ErrorCode::InvalidInput) == "invalid input");
  CHECK(to_string(ErrorCode::PermissionDenied) == "permission denied");
  CHECK(to_string(ErrorCode::QuotaExceeded) == "quota exceeded");
  CHECK(to_string(ErrorCode::NotFound) == "not found");
  CHECK(to_string(ErrorCode::AlreadyExists) == "already exists");
  CHECK(to_string(ErrorCode::InUse) == "in use");
  CHECK(to_string(ErrorCode::TooBig) == "too big");
  CHECK(to_string(ErrorCode::Internal) == "internal");
}

TEST_CASE("to_string gives distinct names and unknown for an out of range code", "[error]") {
  std::set<std::string> names;
  for (int c = static_cast<int>(ErrorCode::Temporary); c <= static_cast<int>(ErrorCode::Internal); ++c)
    names.insert(std::string(to_string(static_cast<ErrorCode>(c))));
  CHECK(names.size() == 10);
  CHECK(names.count("unknown") == 0);
  CHECK(to_string(static_cast<ErrorCode>(99)) == "unknown");
}

TEST_CASE("Error defaults to Internal with empty texts", "[error]") {
  Error e;
  CHECK(e.code == ErrorCode::Internal);
  CHECK(e.message.empty());
  CHECK(e.context.empty());
}

TEST_CASE("Error describe joins code message and context", "[error]") {
  Error e{ErrorCode::NotFound, "no such mailbox", "user=alice mailbox=Archive"};
  CHECK(e.describe() == "not found: no such mailbox (user=alice mailbox=Archive)");
}

TEST_CASE("Error describe leaves out an empty context", "[error]") {
  Error e{ErrorCode::Temporary, "try again later"};
  CHECK(e.describe() == "temporary: try again later");
  Error empty_message{ErrorCode::Internal, ""};
  CHECK(empty_message.describe() == "internal: ");
}
