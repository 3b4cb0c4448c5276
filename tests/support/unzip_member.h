#pragma once

// The text of one member of a zip file, read through Debian's `unzip` (a third-party reader,
// so a test of Roster's writer is not judged by Roster's own reader). Empty when it fails.

#include <string>

namespace roster::testing {

std::string UnzipMember(const std::string& path, const std::string& member);

}  // namespace roster::testing
