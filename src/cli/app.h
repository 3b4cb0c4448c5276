#pragma once

// The `roster` command line: parses the arguments, runs the subcommand and maps its outcome
// to an exit code (0 ok, 2 usage or bad input, 1 internal failure, 3 unresolved import
// errors) in one place.

namespace roster::cli {

int RunApp(int argc, char** argv);

}  // namespace roster::cli
