#pragma once

// Status: the outcome of an operation that can fail for an expected reason (a bad file, a
// missing user, a lost database). Errors are values in Roster: they never cross a layer as
// exceptions. A Status is a cheap value type; copy it freely.

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace roster {

enum class ErrorCode {
  kOk = 0,
  // The caller's input is wrong whatever the state of the system: a malformed address,
  // a file that is not a spreadsheet, an unknown option.
  kInvalidArgument,
  // What was asked for does not exist (or, across tenants, must look as if it did not).
  kNotFound,
  // Creating something that exists already: an organization slug, a user's address.
  kAlreadyExists,
  // The input is fine but the system is not in a state to accept it: unresolved import
  // errors, a job that already ran.
  kFailedPrecondition,
  // A limit was hit: file size, rows, columns, decompressed bytes.
  kResourceExhausted,
  // The caller is not logged in.
  kUnauthenticated,
  // The caller is logged in but may not do this.
  kPermissionDenied,
  // Gave up because of a concurrent operation (another import of the organization runs).
  kAborted,
  // A dependency (the database) cannot be reached now; trying again may work.
  kUnavailable,
  // A bug or an invariant broken in the data: never the user's fault.
  kInternal,
};
// Every code, in declaration order (kOk first), for what lists them all (the console's types,
// src/json/api_tables.h); tests/json/api_tables_test.cc fails while one is missing.
inline constexpr std::array kAllErrorCodes{ErrorCode::kOk,
                                           ErrorCode::kInvalidArgument,
                                           ErrorCode::kNotFound,
                                           ErrorCode::kAlreadyExists,
                                           ErrorCode::kFailedPrecondition,
                                           ErrorCode::kResourceExhausted,
                                           ErrorCode::kUnauthenticated,
                                           ErrorCode::kPermissionDenied,
                                           ErrorCode::kAborted,
                                           ErrorCode::kUnavailable,
                                           ErrorCode::kInternal};

// The canonical name of a code, as used in JSON error bodies ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: the message", for logs and test failures.
  std::string ToString() const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}
inline Status NotFound(std::string message) {
  return Status(ErrorCode::kNotFound, std::move(message));
}
inline Status AlreadyExists(std::string message) {
  return Status(ErrorCode::kAlreadyExists, std::move(message));
}
inline Status FailedPrecondition(std::string message) {
  return Status(ErrorCode::kFailedPrecondition, std::move(message));
}
inline Status ResourceExhausted(std::string message) {
  return Status(ErrorCode::kResourceExhausted, std::move(message));
}
inline Status PermissionDenied(std::string message) {
  return Status(ErrorCode::kPermissionDenied, std::move(message));
}
inline Status Aborted(std::string message) {
  return Status(ErrorCode::kAborted, std::move(message));
}
inline Status Unavailable(std::string message) {
  return Status(ErrorCode::kUnavailable, std::move(message));
}
inline Status Internal(std::string message) {
  return Status(ErrorCode::kInternal, std::move(message));
}

}  // namespace roster

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define ROSTER_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::roster::Status roster_status_ = (expr); \
    if (!roster_status_.ok()) {               \
      return roster_status_;                  \
    }                                         \
  } while (false)
