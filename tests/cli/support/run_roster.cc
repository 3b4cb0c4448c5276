#include "support/run_roster.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.h"

extern char** environ;

namespace roster::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

namespace {

struct ChildArgs {
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ChildArgs MakeArgs(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const char* binary = std::getenv("ROSTER_BINARY");
  if (binary == nullptr) throw std::runtime_error("ROSTER_BINARY is not set (run under ctest)");
  ChildArgs child;
  child.argv_storage.push_back(binary);
  child.argv_storage.insert(child.argv_storage.end(), args.begin(), args.end());
  for (char** entry = environ; *entry != nullptr; ++entry) child.env_storage.emplace_back(*entry);
  child.env_storage.insert(child.env_storage.end(), env.begin(), env.end());
  for (std::string& arg : child.argv_storage) child.argv.push_back(arg.data());
  child.argv.push_back(nullptr);
  for (std::string& entry : child.env_storage) child.envp.push_back(entry.data());
  child.envp.push_back(nullptr);
  return child;
}

// Forks and execs the child with its standard streams on the given files and, when
// `address_space_bytes` is positive, that much address space at most.
pid_t Spawn(ChildArgs& child, const std::string& out_path, const std::string& err_path,
            int64_t address_space_bytes = 0) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (address_space_bytes > 0) {
      const rlimit limit{static_cast<rlim_t>(address_space_bytes),
                         static_cast<rlim_t>(address_space_bytes)};
      if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(126);
    }
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(child.argv[0], child.argv.data(), child.envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

RunOutput RunRoster(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  ChildArgs child = MakeArgs(args, env);
  TempDir dir;
  std::string out_path = dir.File("out"), err_path = dir.File("err");
  pid_t pid = Spawn(child, out_path, err_path);
  int status = 0;
  waitpid(pid, &status, 0);
  RunOutput output;
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  output.out = ReadAll(out_path);
  output.err = ReadAll(err_path);
  return output;
}

BoundedRunOutput RunRosterBounded(const std::vector<std::string>& args, const RunBounds& bounds,
                                  const std::vector<std::string>& env) {
  ChildArgs child = MakeArgs(args, env);
  TempDir dir;
  std::string out_path = dir.File("out"), err_path = dir.File("err");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(bounds.timeout_seconds);
  pid_t pid = Spawn(child, out_path, err_path, bounds.address_space_bytes);
  BoundedRunOutput output;
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      output.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  output.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  output.max_rss_kilobytes = usage.ru_maxrss;
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  output.out = ReadAll(out_path);
  output.err = ReadAll(err_path);
  return output;
}

int StartRoster(const std::vector<std::string>& args, const std::string& out_path,
                const std::string& err_path, const std::vector<std::string>& env) {
  ChildArgs child = MakeArgs(args, env);
  return Spawn(child, out_path, err_path);
}

}  // namespace roster::testing
