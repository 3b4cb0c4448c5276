#pragma once

// Cell references ("B7", "'Staff list'!B7") and counts as messages show them ("100,000").
// Shared by the workbook readers so every error names cells the way the spreadsheet does.
// Pure functions, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace roster::sheet {

// Column letters of a 0-based column index: 0 -> "A", 25 -> "Z", 26 -> "AA", 16383 -> "XFD".
std::string ColumnName(int64_t column);

// "Sheet1!B7", or "'Staff list'!B7" when the sheet name needs quotes (as Excel writes it).
// `column` is 0-based, `row` 1-based.
std::string CellName(std::string_view sheet, int64_t column, int64_t row);

// 100000 -> "100,000".
std::string FormatCount(int64_t count);

// A parsed "B7": column 0-based, row 1-based; row 0 when the reference has no digits ("B").
struct CellReference {
  int64_t column = 0;
  int64_t row = 0;
};

// Parses an A1-style reference ("B7", "$B$7", "xfd1048576"). Fails (returns false) on
// anything else, or on a column beyond 7 letters or a row beyond 15 digits, so the values
// never overflow; range checks against the limits are the caller's.
bool ParseCellReference(std::string_view text, CellReference* out);

}  // namespace roster::sheet
