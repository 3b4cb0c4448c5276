#pragma once

// The legacy Excel reader (.xls), isolated: FreeXL (freexl_reader.h) runs in a child process
// for each step (opening, reading one sheet), which streams the sheets and rows back through
// a pipe. Whatever a hostile file does to FreeXL (fuzzing found heap over-reads, a wild free,
// 4 GiB allocations) stays in the child, which has a memory and a CPU limit: the file is
// refused as damaged, and the server keeps serving.

#include <memory>
#include <string>

#include "core/result.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {

// Opens the .xls file at `path`. Fails with kInvalidArgument for a password-protected or
// damaged workbook (also one FreeXL crashes on); `display_name` is what messages call the file.
Result<std::unique_ptr<WorkbookReader>> OpenXls(const std::string& path, const Limits& limits,
                                                const std::string& display_name);

}  // namespace roster::sheet
