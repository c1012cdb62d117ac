// Expected<T>: a value or an Error (g++ 12 has no std::expected). Access to
// the wrong alternative is a programming error and asserts. Expected<void>
// carries only success or an Error. Vocabulary only: proto/ may use it.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "libcore/base/error.hpp"

namespace pillarbox {

// Wraps an Error so that `return Unexpected{...}` reads clearly and an Error
// never converts silently into a T.
struct Unexpected {
  Error error;
};

inline Unexpected fail(ErrorCode code, std::string message, std::string context = {}) {
  return Unexpected{Error{code, std::move(message), std::move(context)}};
}

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace pillarbox
