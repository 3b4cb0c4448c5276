#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/context.h"

namespace roster::cli {

int RunApp(int argc, char** argv) {
  SystemClock clock;
  Context context{.out = std::cout, .err = std::cerr, .clock = clock};
  if (const char* env = std::getenv("ROSTER_DB"); env != nullptr && *env != '\0') {
    context.db_url = env;
  }

  CLI::App app{"Roster: the user management of the security-awareness console.", "roster"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--db", context.db_url,
                 "Database: sqlite:PATH or postgresql://... (default sqlite:roster.db, "
                 "or $ROSTER_DB)");
  AddOrgCommands(app, context);
  AddUsersCommands(app, context);
  AddElearningCommands(app, context);
  AddDemoCommand(app, context);
  AddImportCommand(app, context);
  AddJobsCommands(app, context);
  AddTemplateCommand(app, context);
  AddInspectCommand(app, context);
  AddServeCommand(app, context);
  AddAdminCommands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "roster: " << e.what() << "\nRun 'roster --help' for the commands.\n";
    return kExitUsage;
  }
  return context.exit_code;
}

}  // namespace roster::cli
