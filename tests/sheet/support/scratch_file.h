#pragma once

// Test support for the csv / xls / file-type / writer tests: files written into a scratch
// directory that lives as long as the test process, and rows collected from a reader.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet::testing {

// The scratch directory of this test process (created on first use, removed at exit).
std::string ScratchDirectory();

// Writes `bytes` to ScratchDirectory()/`name` and returns the path.
std::string WriteScratchFile(std::string_view name, std::string_view bytes);

// The path of a committed fixture: <source dir>/tests/data/`relative`.
std::string TestDataPath(std::string_view relative);

// Every row of sheet `sheet_index`, or the error ReadRows returned.
Result<std::vector<Row>> ReadAllRows(WorkbookReader& reader, size_t sheet_index = 0);

// The cell texts of `rows`, row by row ("" for empty cells), for compact assertions.
std::vector<std::vector<std::string>> CellTexts(const std::vector<Row>& rows);

// The row numbers of `rows`.
std::vector<int64_t> RowNumbers(const std::vector<Row>& rows);

}  // namespace roster::sheet::testing
