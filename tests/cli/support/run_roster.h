#pragma once

// Runs the real `roster` binary (path from $ROSTER_BINARY, set by CTest) as a child process
// and captures what it printed and its exit code.

#include <cstdint>
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

// Bounds for RunRosterBounded: the child's address space (setrlimit RLIMIT_AS, as `prlimit
// --as` sets it; 0: unlimited, which sanitizer builds need, since ASan reserves terabytes of
// address space) and the wall time after which it is killed with SIGKILL.
struct RunBounds {
  int64_t address_space_bytes = 0;
  double timeout_seconds = 120;
};

struct BoundedRunOutput : RunOutput {
  double seconds = 0;             // wall time from start to exit
  int64_t max_rss_kilobytes = 0;  // the child's peak resident memory (wait4's ru_maxrss)
  bool timed_out = false;         // killed at timeout_seconds (exit_code is then 128 + 9)
};

// RunRoster within `bounds`, measuring the child's time and memory.
BoundedRunOutput RunRosterBounded(const std::vector<std::string>& args, const RunBounds& bounds,
                                  const std::vector<std::string>& env = {});

// Starts `roster` with `args` in the background, its output going to `out_path` and
// `err_path` (default: nowhere); returns the child's pid. The caller kills or waits for it
// (waitpid).
int StartRoster(const std::vector<std::string>& args, const std::string& out_path = "/dev/null",
                const std::string& err_path = "/dev/null",
                const std::vector<std::string>& env = {});

}  // namespace roster::testing
