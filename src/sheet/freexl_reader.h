#pragma once

// The legacy Excel reader (.xls, BIFF8, Excel 97-2003) over FreeXL, in this process. FreeXL
// parses the whole workbook into memory when it opens it, so this reader is not streaming: its
// memory is bounded by the file size, which OpenWorkbook caps at Limits::max_file_bytes, and
// by BIFF8's own bounds (65,536 rows x 256 columns per sheet). FreeXL does not expose sheet
// visibility, so the reader reads it from the BOUNDSHEET records of the Workbook stream
// itself; when that fails, every sheet reads visible and KnowsSheetVisibility() is false.
//
// FreeXL 1.0.6 is not safe on hostile files (fuzzing found over-reads and a wild free), so
// Roster runs this reader only in a child process: see xls_reader.h.

#include <memory>
#include <string>

#include "core/result.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {

// Opens the .xls file at `path`. Fails with kInvalidArgument for a password-protected or
// damaged workbook; `display_name` is what messages call the file.
Result<std::unique_ptr<WorkbookReader>> OpenFreeXl(const std::string& path, const Limits& limits,
                                                   const std::string& display_name);

}  // namespace roster::sheet
