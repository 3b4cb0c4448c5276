#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/text.h"
#include "core/user_rules.h"
#include "json/json_shapes.h"

namespace roster::cli {

namespace {

constexpr int64_t kMaxPageSize = 10'000;

struct ListOptions {
  std::string org;
  std::string search;
  std::string sort = "email";
  bool descending = false;
  int64_t limit = 50;
  int64_t offset = 0;
  bool json = false;
};

struct AddOptions {
  std::string org;
  User user;
  bool json = false;
};

void PrintTable(const UserPage& page, const ListOptions& options, std::ostream& out) {
  out << "ID\tEmail\tFirst name\tLast name\tDepartment\tE-learning\n";
  for (const UserListEntry& entry : page.users) {
    const User& user = entry.user;
    out << user.id << '\t' << user.email << '\t' << user.first_name << '\t' << user.last_name
        << '\t' << user.department << '\t' << (entry.elearning_account_id ? "linked" : "-") << '\n';
  }
  int64_t first = page.users.empty() ? 0 : options.offset + 1;
  out << "users " << first << "-" << options.offset + static_cast<int64_t>(page.users.size())
      << " of " << WithThousands(page.total) << '\n';
}

void RunList(const ListOptions& options, Context& context) {
  std::optional<UserSort> sort = UserSortFromName(options.sort);
  if (!sort) {
    return context.Fail(InvalidArgument(
        "--sort '" + options.sort +
        "' is unknown: use email, first_name, last_name, department, location, created_at "
        "or id"));
  }
  if (options.limit < 0 || options.limit > kMaxPageSize || options.offset < 0) {
    return context.Fail(InvalidArgument("--limit must be 0 to 10000 and --offset at least 0"));
  }
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  UserQuery query{options.search, *sort, options.descending, options.limit, options.offset};
  Result<UserPage> page = store->ListUsers(organization->id, query);
  if (!page.ok()) return context.Fail(page.status());
  if (!options.json) return PrintTable(*page, options, context.out);
  nlohmann::json users = nlohmann::json::array();
  for (const UserListEntry& entry : page->users) users.push_back(ToJson(entry));
  context.out << Dump({{"total", page->total}, {"users", users}}) << '\n';
}

void RunAdd(AddOptions& options, Context& context) {
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  std::vector<UserProblem> problems = PrepareUser(*organization, options.user);
  if (!problems.empty()) {
    for (size_t i = 1; i < problems.size(); ++i) {
      context.err << "roster: " << SpecOf(problems[i].attribute).key << ": " << problems[i].message
                  << '\n';
    }
    return context.Fail(InvalidArgument(std::string(SpecOf(problems[0].attribute).key) + ": " +
                                        problems[0].message));
  }
  Result<User> created = store->CreateUser(organization->id, options.user);
  if (!created.ok()) return context.Fail(created.status());
  if (options.json) {
    context.out << Dump(ToJson(UserListEntry{*created, std::nullopt})) << '\n';
    return;
  }
  context.out << "added user " << created->id << " " << created->email << '\n';
}

}  // namespace

void AddUsersCommands(CLI::App& app, Context& context) {
  CLI::App* users = app.add_subcommand("users", "List, add and export users");
  users->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = users->add_subcommand("list", "List an organization's users");
  list->add_option("--org", list_options->org, "Organization slug")->required();
  list->add_option("--search", list_options->search, "Text inside email, first or last name");
  list->add_option("--sort", list_options->sort,
                   "email, first_name, last_name, department, location, created_at or id");
  list->add_flag("--desc", list_options->descending, "Sort descending");
  list->add_option("--limit", list_options->limit, "Users per page (0 to 10000)");
  list->add_option("--offset", list_options->offset, "Users to skip");
  list->add_flag("--json", list_options->json, R"(Print {"total": n, "users": [...]})");
  list->callback([list_options, &context] { RunList(*list_options, context); });

  auto add_options = std::make_shared<AddOptions>();
  User& user = add_options->user;
  CLI::App* add = users->add_subcommand("add", "Add one user");
  add->add_option("--org", add_options->org, "Organization slug")->required();
  add->add_option("--email", user.email, "Email address")->required();
  add->add_option("--first-name", user.first_name, "First name")->required();
  add->add_option("--last-name", user.last_name, "Last name")->required();
  add->add_option("--gender", user.gender, "female, male or other");
  add->add_option("--academic-degree", user.academic_degree, "For example Dr.");
  add->add_option("--language", user.language, "ISO 639-1 code; default: the organization's");
  add->add_option("--address-type", user.address_type, "single or group");
  add->add_option("--manager-email", user.manager_email, "The manager's address");
  add->add_option("--department", user.department, "Department");
  add->add_option("--location", user.location, "Location");
  add->add_option("--employee-id", user.employee_id, "HR personnel number");
  add->add_option("--group", user.groups, "A group (repeatable)");
  add->add_flag("--json", add_options->json, "Print the user as JSON");
  add->callback([add_options, &context] { RunAdd(*add_options, context); });

  AddUsersExportCommand(*users, context);
}

}  // namespace roster::cli
