#pragma once

// Registration of the subcommands on the CLI11 app. Each Add* function declares its
// options and a callback that runs the command against `context` and sets its exit code.
// `context` must outlive the app.

namespace CLI {
class App;
}

namespace roster::cli {

struct Context;

void AddOrgCommands(CLI::App& app, Context& context);
void AddUsersCommands(CLI::App& app, Context& context);
// `users export`, declared on the `users` subcommand by AddUsersCommands.
void AddUsersExportCommand(CLI::App& users, Context& context);
void AddElearningCommands(CLI::App& app, Context& context);
void AddDemoCommand(CLI::App& app, Context& context);
void AddImportCommand(CLI::App& app, Context& context);
void AddJobsCommands(CLI::App& app, Context& context);
void AddTemplateCommand(CLI::App& app, Context& context);
void AddInspectCommand(CLI::App& app, Context& context);
void AddServeCommand(CLI::App& app, Context& context);
void AddAdminCommands(CLI::App& app, Context& context);

}  // namespace roster::cli
