#pragma once

// The user attributes as PostgreSQL values, in one place for every statement that writes a
// user (create by COPY, update, add/update import), so a new attribute cannot be written in
// one and forgotten in another: the values follow kUserFieldColumns (backend_common.h).

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/user.h"
#include "store/backend_common.h"

namespace roster::postgres {

inline constexpr size_t kUserFieldCount = 13;
static_assert(
    std::string_view(kUserFieldColumns).find(", email_key, ") == 5 &&
        [] {
          size_t commas = 0;
          for (char c : kUserFieldColumns) commas += c == ',' ? 1 : 0;
          return commas + 1;
        }() == kUserFieldCount,
    "statements number their parameters after these columns: $2 is email_key, "
    "$14 the first one after them");

// The attribute values in the order of kUserFieldColumns, as PostgreSQL reads them in text
// form (COPY rows and statement parameters alike).
inline std::array<std::string, kUserFieldCount> UserFieldValues(const User& user) {
  return {user.email,
          user.email_key,
          user.first_name,
          user.last_name,
          user.gender,
          user.academic_degree,
          user.language,
          user.address_type,
          user.manager_email,
          user.department,
          user.location,
          user.employee_id,
          user.active ? "true" : "false"};
}

// The column names of kUserFieldColumns, for a COPY.
inline std::vector<std::string> UserFieldColumnNames() {
  std::vector<std::string> names;
  std::string_view columns = kUserFieldColumns;
  while (!columns.empty()) {
    size_t comma = columns.find(", ");
    names.emplace_back(columns.substr(0, comma));
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 2);
  }
  return names;
}

// "email = $<first>, email_key = $<first+1>, ..." for an UPDATE, in the same order.
inline std::string UserFieldAssignments(int first) {
  std::string assignments;
  int parameter = first;
  for (const std::string& column : UserFieldColumnNames()) {
    if (!assignments.empty()) assignments += ", ";
    assignments += column + " = $" + std::to_string(parameter++);
  }
  return assignments;
}

}  // namespace roster::postgres
