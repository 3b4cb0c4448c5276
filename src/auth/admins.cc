#include "auth/admins.h"

#include "auth/passwords.h"
#include "core/email.h"

namespace roster::auth {

Result<Admin> NewAdmin(const Organization& organization, std::string_view email,
                       std::string_view password, AdminRole role) {
  EmailCheck check = CheckEmail(email);
  if (!check.ok()) return InvalidArgument("the admin's address: " + check.message);
  ROSTER_RETURN_IF_ERROR(CheckNewPassword(password));
  ROSTER_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return Admin{0, organization.id, check.key, std::move(hash), role, 0};
}

Result<std::string> ChoosePassword(std::string_view given, RandomSource& random) {
  if (given.empty()) return GeneratePassword(random);
  ROSTER_RETURN_IF_ERROR(CheckNewPassword(given));
  return std::string(given);
}

Result<int64_t> EnsureOwners(
    Store& store, std::string_view password, RandomSource& random,
    const std::function<void(const Admin&, const std::string&)>& announce) {
  ROSTER_ASSIGN_OR_RETURN(std::vector<Organization> organizations, store.ListOrganizations());
  int64_t created = 0;
  for (const Organization& organization : organizations) {
    ROSTER_ASSIGN_OR_RETURN(std::vector<Admin> admins, store.ListAdmins(organization.id));
    bool has_owner = false;
    for (const Admin& admin : admins) has_owner = has_owner || admin.role == AdminRole::kOwner;
    if (has_owner) continue;
    const std::string domain =
        organization.domains.empty() ? organization.slug + ".invalid" : organization.domains[0];
    ROSTER_ASSIGN_OR_RETURN(std::string chosen, ChoosePassword(password, random));
    ROSTER_ASSIGN_OR_RETURN(Admin admin,
                            NewAdmin(organization, "owner@" + domain, chosen, AdminRole::kOwner));
    ROSTER_ASSIGN_OR_RETURN(Admin stored, store.CreateAdmin(admin));
    announce(stored, chosen);
    ++created;
  }
  return created;
}

}  // namespace roster::auth
