#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/email.h"
#include "json/json_shapes.h"

namespace roster::cli {

namespace {

struct CreateOptions {
  std::string org;
  std::string email;
  bool json = false;
};

void RunCreate(const CreateOptions& options, Context& context) {
  EmailCheck check = CheckEmail(options.email);
  if (!check.ok()) {
    return context.Fail(InvalidArgument("--email '" + options.email + "': " + check.message));
  }
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  Result<ElearningAccount> account = store->CreateElearningAccount(organization->id, check.key);
  if (!account.ok()) return context.Fail(account.status());
  if (options.json) {
    context.out << Dump(ToJson(*account)) << '\n';
    return;
  }
  context.out << "created e-learning account " << account->id << " for " << check.address;
  if (account->user_id) {
    context.out << ", linked to user " << *account->user_id << '\n';
  } else {
    context.out << ", not linked: the organization has no user with this address\n";
  }
}

}  // namespace

void AddElearningCommands(CLI::App& app, Context& context) {
  CLI::App* elearning = app.add_subcommand("elearning", "E-learning accounts");
  elearning->require_subcommand(1);
  auto options = std::make_shared<CreateOptions>();
  CLI::App* create = elearning->add_subcommand(
      "create", "Create the account an employee registers on the e-learning platform");
  create->add_option("--org", options->org, "Organization slug")->required();
  create->add_option("--email", options->email, "The employee's address")->required();
  create->add_flag("--json", options->json, "Print the account as JSON");
  create->callback([options, &context] { RunCreate(*options, context); });
}

}  // namespace roster::cli
