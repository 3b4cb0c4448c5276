#pragma once

// Runs the real `roster` binary (path from $ROSTER_BINARY, set by CTest) as a child process
// and captures what it printed and its exit code.

#include <string>
#include <vector>

namespace roster::testing {

struct RunOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `args` follow the program name; `env` entries "NAME=value" are added to the environment.
// Standard input is /dev/null, so the child is never on a terminal.
RunOutput RunRoster(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// Starts `roster` with `args` in the background, its output going to `out_path` and
// `err_path` (default: nowhere); returns the child's pid. The caller kills or waits for it
// (waitpid).
int StartRoster(const std::vector<std::string>& args, const std::string& out_path = "/dev/null",
                const std::string& err_path = "/dev/null",
                const std::vector<std::string>& env = {});

}  // namespace roster::testing
