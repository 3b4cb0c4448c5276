// roster users export: every user of an organization to a file (see import/user_export.h).

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/progress.h"
#include "core/text.h"
#include "import/user_export.h"

namespace roster::cli {
namespace {

struct ExportOptions {
  std::string org;
  std::string output;
};

void RunExport(const ExportOptions& options, Context& context) {
  const std::string lowered = AsciiLower(options.output);
  if (!lowered.ends_with(".csv") && !lowered.ends_with(".xlsx")) {
    return context.Fail(
        InvalidArgument("--output '" + options.output + "' must name a .xlsx or .csv file"));
  }
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  Progress progress("exporting users");
  Result<int64_t> exported =
      import::ExportUsers(*store, organization->id, options.output, progress.Callback());
  if (!exported.ok()) return context.Fail(exported.status());
  context.out << "exported " << WithThousands(*exported) << " users of " << organization->name
              << " to " << options.output << '\n';
}

}  // namespace
void AddUsersExportCommand(CLI::App& users, Context& context) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = users.add_subcommand(
      "export", "Export every user with the template's columns (.xlsx or .csv)");
  command->add_option("--org", options->org, "Organization slug")->required();
  command->add_option("--output", options->output, "The file to write: FILE.xlsx or FILE.csv")
      ->required();
  command->callback([options, &context] { RunExport(*options, context); });
}

}  // namespace roster::cli
