#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/attribute.h"
#include "core/email.h"
#include "json/json_shapes.h"

namespace roster::cli {

namespace {

constexpr size_t kMaxSlugLength = 63;

struct CreateOptions {
  std::string slug;
  std::string name;
  std::string language = "en";
  std::vector<std::string> domains;
};

bool ValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > kMaxSlugLength || slug.front() == '-') return false;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

void RunCreate(const CreateOptions& options, Context& context) {
  if (!ValidSlug(options.slug)) {
    return context.Fail(InvalidArgument(
        "the slug '" + options.slug +
        "' is not valid: use 1 to 63 lower-case letters, digits and hyphens, e.g. acme-corp"));
  }
  if (!IsIsoLanguageCode(options.language)) {
    return context.Fail(InvalidArgument("--language '" + options.language +
                                        "' is not a two-letter ISO 639-1 code such as en"));
  }
  Organization organization{0, options.slug, options.name, options.language, {}};
  for (const std::string& raw : options.domains) {
    std::optional<std::string> domain = NormalizeDomain(raw);
    if (!domain) {
      return context.Fail(
          InvalidArgument("--domain '" + raw + "' is not a valid domain such as example.com"));
    }
    organization.domains.push_back(*domain);
  }
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> created = store->CreateOrganization(organization);
  if (!created.ok()) return context.Fail(created.status());
  context.out << "created organization " << created->slug << " (" << created->name
              << ") with the domains";
  for (const std::string& domain : created->domains) context.out << ' ' << domain;
  context.out << '\n';
}

void RunList(bool json, Context& context) {
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<std::vector<Organization>> organizations = store->ListOrganizations();
  if (!organizations.ok()) return context.Fail(organizations.status());
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Organization& organization : *organizations) list.push_back(ToJson(organization));
    context.out << Dump({{"organizations", list}}) << '\n';
    return;
  }
  for (const Organization& organization : *organizations) {
    context.out << organization.slug << '\t' << organization.name << '\t';
    for (size_t i = 0; i < organization.domains.size(); ++i) {
      context.out << (i ? "," : "") << organization.domains[i];
    }
    context.out << '\n';
  }
}

}  // namespace

void AddOrgCommands(CLI::App& app, Context& context) {
  CLI::App* org = app.add_subcommand("org", "Create and list organizations");
  org->require_subcommand(1);

  auto create_options = std::make_shared<CreateOptions>();
  CLI::App* create = org->add_subcommand("create", "Create an organization");
  create->add_option("slug", create_options->slug, "Short name used with --org")->required();
  create->add_option("--name", create_options->name, "Display name")->required();
  create->add_option("--domain", create_options->domains, "An email domain it owns")->required();
  create->add_option("--language", create_options->language,
                     "Default language of its users (ISO 639-1)");
  create->callback([create_options, &context] { RunCreate(*create_options, context); });

  auto json = std::make_shared<bool>(false);
  CLI::App* list = org->add_subcommand("list", "List the organizations");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([json, &context] { RunList(*json, context); });
}

}  // namespace roster::cli
