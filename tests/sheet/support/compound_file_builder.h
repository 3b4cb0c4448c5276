#pragma once

// Builds small containers in memory for the file-type tests: OLE2 compound files (the
// container of .xls, .doc and encrypted .xlsx) with named empty streams, and zip files.

#include <string>
#include <utility>
#include <vector>

namespace roster::sheet::testing {

// An OLE2 compound file (512-byte sectors) whose directory holds a root entry and one empty
// stream per name in `stream_names` (at most 3, so the directory fits one sector).
std::string BuildCompoundFile(const std::vector<std::string>& stream_names);

// Writes a zip file with the given (name, content) members to `path`.
void WriteZipFile(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace roster::sheet::testing
