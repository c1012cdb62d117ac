// Turns what libpqxx throws inside a store function into an Error value, so
// that no exception leaves libcore/store. Codes follow db::error_from_exception
// (unique violation -> AlreadyExists, broken connection -> Unavailable, ...);
// the message is prefixed with the operation: "creating account 'bob': ...".
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

Error database_failure(std::string_view what, const std::exception& e);

// Runs `body` (which opens and commits its own transaction; an uncommitted
// one rolls back in its destructor) and returns its Expected, or the Error of
// whatever it threw.
template <class F>
auto guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Unexpected{database_failure(what, e)};
  }
}

}  // namespace pillarbox::store
