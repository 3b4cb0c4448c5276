#include "support/unzip_member.h"

#include <cstdio>

namespace roster::testing {

std::string UnzipMember(const std::string& path, const std::string& member) {
  std::string output;
  FILE* pipe = ::popen(("unzip -p '" + path + "' '" + member + "'").c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

}  // namespace roster::testing
