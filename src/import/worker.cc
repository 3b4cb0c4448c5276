#include "import/worker.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace roster::import {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot; empty when the
// process does not exist.
std::string StartTime(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return "";
  // The command name (field 2) may hold spaces and parentheses: skip to its closing ')'.
  size_t end_of_name = line.rfind(')');
  if (end_of_name == std::string::npos) return "";
  std::istringstream fields(line.substr(end_of_name + 2));
  std::string field;
  for (int number = 3; fields >> field; ++number) {
    if (number == 22) return field;
  }
  return "";
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, start)) {
    parts.emplace_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

}  // namespace

std::string ThisWorker() {
  std::string pid = std::to_string(getpid());
  return HostName() + ":" + pid + ":" + StartTime(pid);
}

WorkerLiveness LivenessOf(std::string_view worker) {
  std::vector<std::string> parts = Split(worker, ':');
  if (parts.size() != 3) return WorkerLiveness::kGone;  // not a name this code wrote
  if (parts[0] != HostName()) return WorkerLiveness::kUnknown;
  return !parts[2].empty() && StartTime(parts[1]) == parts[2] ? WorkerLiveness::kAlive
                                                              : WorkerLiveness::kGone;
}

}  // namespace roster::import
