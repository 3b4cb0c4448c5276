// roster template: writes the import template (see import/template_writer.h) to a file. No
// database is needed.

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/context.h"
#include "core/import_job.h"
#include "core/text.h"
#include "import/template_writer.h"

namespace roster::cli {
namespace {

struct TemplateOptions {
  std::string mode = "add-update";
  std::string output;
};

void RunTemplate(const TemplateOptions& options, Context& context) {
  std::optional<ImportMode> mode = ImportModeFromName(options.mode);
  if (!mode) {
    return context.Fail(
        InvalidArgument("--mode '" + options.mode + "' is unknown: use delete or add-update"));
  }
  if (!AsciiLower(options.output).ends_with(".xlsx")) {
    return context.Fail(InvalidArgument("--output '" + options.output +
                                        "' must name a .xlsx file (the template is a workbook)"));
  }
  if (Status written = import::WriteTemplate(*mode, options.output); !written.ok()) {
    return context.Fail(written);
  }
  context.out << "wrote the " << ImportModeName(*mode) << " template to " << options.output << '\n';
}

}  // namespace

void AddTemplateCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<TemplateOptions>();
  CLI::App* command = app.add_subcommand("template", "Write the import template (.xlsx)");
  command->add_option("--mode", options->mode,
                      "delete (only the Email column) or add-update (every attribute)");
  command->add_option("--output", options->output, "The file to write: FILE.xlsx")->required();
  command->callback([options, &context] { RunTemplate(*options, context); });
}

}  // namespace roster::cli
