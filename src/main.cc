// roster: wiring only. Everything a subcommand does lives in src/cli.
#include "cli/app.h"

int main(int argc, char** argv) { return roster::cli::RunApp(argc, argv); }
