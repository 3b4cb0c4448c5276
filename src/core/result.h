#pragma once

// Result<T>: either a value or the Status that explains why there is none. Returned by every
// factory and fallible operation (`Result<std::unique_ptr<Store>> OpenStore(...)`).
// Reading value() of a failed Result is a programmer error and asserts.

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace roster {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).ok() && "a Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }

  // The error; Status::Ok() when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace roster

#define ROSTER_CONCAT_INNER_(a, b) a##b
#define ROSTER_CONCAT_(a, b) ROSTER_CONCAT_INNER_(a, b)

// ROSTER_ASSIGN_OR_RETURN(auto store, OpenStore(url)); returns the Status on failure.
#define ROSTER_ASSIGN_OR_RETURN(lhs, expr) \
  ROSTER_ASSIGN_OR_RETURN_IMPL_(ROSTER_CONCAT_(roster_result_, __LINE__), lhs, expr)
// lhs is a declaration ("auto store") and tmp a name: parentheses around them would not compile.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ROSTER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
