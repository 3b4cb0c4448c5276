#pragma once

// Admin: a person who signs in to the console for one organization, with a role:
//   viewer  reads;
//   admin   also creates, changes, imports and deletes users;
//   owner   also manages the organization's admins.
// AdminSession: one signed-in browser. The store keeps only a hash of the session token (a
// stolen database does not hand out sessions) and the CSRF token the browser must echo.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster {

enum class AdminRole { kViewer, kAdmin, kOwner };
// Every role, in declaration order (lowest first), for what lists them all (the console's
// types, src/json/api_tables.h); tests/json/api_tables_test.cc fails while one is missing.
inline constexpr std::array kAllAdminRoles{AdminRole::kViewer, AdminRole::kAdmin,
                                           AdminRole::kOwner};

std::string_view AdminRoleName(AdminRole role);  // "viewer", "admin", "owner"
std::optional<AdminRole> AdminRoleFromName(std::string_view name);
// True when `role` may do what `needed` may (owner > admin > viewer).
inline bool RoleAllows(AdminRole role, AdminRole needed) {
  return static_cast<int>(role) >= static_cast<int>(needed);
}

struct Admin {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string email;          // normalized (lower-case), unique over all organizations
  std::string password_hash;  // argon2id, in libsodium's string form
  AdminRole role = AdminRole::kViewer;
  int64_t created_at = 0;
};

struct AdminSession {
  std::string token_hash;  // hex SHA-256 of the cookie's token
  int64_t admin_id = 0;
  int64_t org_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // Unix seconds
};

}  // namespace roster
