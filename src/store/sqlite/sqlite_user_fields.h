#pragma once

// The user attributes as SQLite columns, in one place for every statement that writes a user
// (create, update, add/update import), so a new attribute cannot be bound in one and
// forgotten in another.

#include "core/user.h"
#include "store/sqlite/sqlite_db.h"

namespace roster::sqlite {

// The writable attribute columns, in the order BindUserFields binds them (13 columns).
inline constexpr std::string_view kUserFieldColumns =
    "email, email_key, first_name, last_name, gender, academic_degree, language, "
    "address_type, manager_email, department, location, employee_id, active";

// "email = ?, email_key = ?, ..." for an UPDATE, in the same order.
inline constexpr std::string_view kUserFieldAssignments =
    "email = ?, email_key = ?, first_name = ?, last_name = ?, gender = ?, academic_degree = ?, "
    "language = ?, address_type = ?, manager_email = ?, department = ?, location = ?, "
    "employee_id = ?, active = ?";

// Binds the attributes from parameter `first` on; returns the next free parameter.
inline int BindUserFields(Statement& statement, int first, const User& user) {
  int next = first;
  for (const std::string* text :
       {&user.email, &user.email_key, &user.first_name, &user.last_name, &user.gender,
        &user.academic_degree, &user.language, &user.address_type, &user.manager_email,
        &user.department, &user.location, &user.employee_id}) {
    statement.Bind(next++, std::string_view(*text));
  }
  statement.Bind(next++, int64_t{user.active ? 1 : 0});
  return next;
}

// What a failed user write means to the caller: a taken address, or a value the schema's
// CHECK constraints refuse; other failures pass through.
inline Status UserWriteError(const Status& status, const User& user) {
  if (status.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("a user with the address " + user.email + " exists already");
  }
  if (status.code() == ErrorCode::kFailedPrecondition) {
    return InvalidArgument("the user " + user.email +
                           " has a value the database refuses (gender or address type)");
  }
  return status;
}

}  // namespace roster::sqlite
