#pragma once

// The user attributes as SQLite columns, in one place for every statement that writes a user
// (create, update, add/update import), so a new attribute cannot be bound in one and
// forgotten in another. UserWriteError is roster::UserWriteError (backend_common.h).

#include "core/user.h"
#include "store/backend_common.h"
#include "store/sqlite/sqlite_db.h"

namespace roster::sqlite {

// BindUserFields binds the columns of roster::kUserFieldColumns (backend_common.h), in order.
using roster::kUserFieldColumns;

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

}  // namespace roster::sqlite
