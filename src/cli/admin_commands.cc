// roster admin create|list|reset-password: the console's admins of an organization.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <string>

#include "auth/admins.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "core/text.h"
#include "random/system_random.h"

namespace roster::cli {
namespace {

struct CreateOptions {
  std::string org;
  std::string email;
  std::string role = "admin";
};

void RunCreate(const CreateOptions& options, Context& context) {
  std::optional<AdminRole> role = AdminRoleFromName(options.role);
  if (!role) return context.Fail(InvalidArgument("--role must be viewer, admin or owner"));
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  SystemRandom random;
  const char* given = std::getenv("ROSTER_ADMIN_PASSWORD");
  Result<std::string> password = auth::ChoosePassword(given != nullptr ? given : "", random);
  if (!password.ok()) {
    return context.Fail(InvalidArgument("$ROSTER_ADMIN_PASSWORD: " + password.status().message()));
  }
  Result<Admin> admin = auth::NewAdmin(*organization, options.email, *password, *role);
  if (!admin.ok()) return context.Fail(admin.status());
  Result<Admin> created = store->CreateAdmin(*admin);
  if (!created.ok()) return context.Fail(created.status());
  context.out << "created the " << AdminRoleName(created->role) << " " << created->email;
  if (given == nullptr || *given == '\0') {
    context.out << " with the password " << *password << " (shown only now)";
  }
  context.out << '\n';
}

void RunList(const std::string& org, Context& context) {
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(org);
  if (!organization.ok()) return context.Fail(organization.status());
  Result<std::vector<Admin>> admins = store->ListAdmins(organization->id);
  if (!admins.ok()) return context.Fail(admins.status());
  for (const Admin& admin : *admins) {
    context.out << admin.id << '\t' << AdminRoleName(admin.role) << '\t' << admin.email << '\n';
  }
}

// A new password for an existing admin: the admin is stored anew with the same
// organization, address and role (their sessions end with the old record). Two steps, not
// one transaction: should the second fail, `roster admin create` makes the admin again.
void RunResetPassword(const std::string& email, Context& context) {
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Admin> admin = store->FindAdminByEmail(AsciiLower(Trim(email)));
  if (!admin.ok()) return context.Fail(admin.status());
  Result<Organization> organization = store->GetOrganization(admin->org_id);
  if (!organization.ok()) return context.Fail(organization.status());
  SystemRandom random;
  const char* given = std::getenv("ROSTER_ADMIN_PASSWORD");
  Result<std::string> password = auth::ChoosePassword(given != nullptr ? given : "", random);
  if (!password.ok()) {
    return context.Fail(InvalidArgument("$ROSTER_ADMIN_PASSWORD: " + password.status().message()));
  }
  Result<Admin> renewed = auth::NewAdmin(*organization, admin->email, *password, admin->role);
  if (!renewed.ok()) return context.Fail(renewed.status());
  if (Status removed = store->DeleteAdmin(admin->org_id, admin->id); !removed.ok()) {
    return context.Fail(removed);
  }
  Result<Admin> created = store->CreateAdmin(*renewed);
  if (!created.ok()) return context.Fail(created.status());
  context.out << "set a new password for " << created->email;
  if (given == nullptr || *given == '\0') {
    context.out << ": " << *password << " (shown only now)";
  }
  context.out << '\n';
}

}  // namespace

void AddAdminCommands(CLI::App& app, Context& context) {
  CLI::App* admin = app.add_subcommand("admin", "Admins who sign in to the web console");
  admin->require_subcommand(1);
  auto create_options = std::make_shared<CreateOptions>();
  CLI::App* create = admin->add_subcommand(
      "create", "Create an admin (password from $ROSTER_ADMIN_PASSWORD, else generated)");
  create->add_option("--org", create_options->org, "Organization slug")->required();
  create->add_option("--email", create_options->email, "The admin's address")->required();
  create->add_option("--role", create_options->role, "viewer, admin or owner");
  create->callback([create_options, &context] { RunCreate(*create_options, context); });

  auto org = std::make_shared<std::string>();
  CLI::App* list = admin->add_subcommand("list", "List an organization's admins");
  list->add_option("--org", *org, "Organization slug")->required();
  list->callback([org, &context] { RunList(*org, context); });

  auto email = std::make_shared<std::string>();
  CLI::App* reset = admin->add_subcommand(
      "reset-password",
      "Give an admin a new password ($ROSTER_ADMIN_PASSWORD, else generated); ends their sessions");
  reset->add_option("--email", *email, "The admin's address")->required();
  reset->callback([email, &context] { RunResetPassword(*email, context); });
}

}  // namespace roster::cli
