// database_failure: db::error_from_exception with the operation in front.
#include "libcore/store/failure.hpp"

#include "libcore/db/executor.hpp"

namespace pillarbox::store {

Error database_failure(std::string_view what, const std::exception& e) {
  Error err = db::error_from_exception(e);
  err.message = std::string(what) + ": " + err.message;
  return err;
}

}  // namespace pillarbox::store
