#pragma once

// The xlsx reader: Excel's Office Open XML workbooks (and strict OOXML), as written by Excel,
// LibreOffice, Google Sheets, openpyxl, SheetJS, exceljs and libxlsxwriter. Streams rows with
// fixed memory (only the shared-strings table grows with the file) and enforces Limits
// (DESIGN.md section 7). Opening reads the package map and styles; the shared strings are
// read at the first ReadRows. The returned reader follows WorkbookReader's contract.

#include <memory>
#include <string>

#include "core/result.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {

struct XlsxReaderOptions {
  // Inflate on a second thread while the XML is scanned (see PrefetchingReader). Off: one
  // thread does both, slower but simpler to profile.
  bool prefetch = true;
};

// Opens the xlsx file at `path`. `display_name` begins every message (the path's file name
// when empty). Fails with kInvalidArgument for a damaged or hostile file (naming the part at
// fault) and kResourceExhausted for a file over the limits.
Result<std::unique_ptr<WorkbookReader>> OpenXlsx(const std::string& path, const Limits& limits,
                                                 const std::string& display_name);
Result<std::unique_ptr<WorkbookReader>> OpenXlsx(const std::string& path, const Limits& limits,
                                                 const std::string& display_name,
                                                 const XlsxReaderOptions& options);

}  // namespace roster::sheet
