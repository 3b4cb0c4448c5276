#include "core/admin.h"

namespace roster {

std::string_view AdminRoleName(AdminRole role) {
  switch (role) {
    case AdminRole::kViewer: return "viewer";
    case AdminRole::kAdmin: return "admin";
    case AdminRole::kOwner: return "owner";
  }
  return "viewer";
}

std::optional<AdminRole> AdminRoleFromName(std::string_view name) {
  for (AdminRole role : {AdminRole::kViewer, AdminRole::kAdmin, AdminRole::kOwner}) {
    if (AdminRoleName(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace roster
