#pragma once

// The result report of an import: one row per data row of the file with what became of it
// (deleted, already gone, excluded, empty, duplicate, error), as .xlsx or .csv by the name's
// ending. Cells that a spreadsheet would run as a formula are neutralized.

#include <string>

#include "import/analysis.h"

namespace roster::import {

// Writes `analysis.rows` (the analysis must have been made with keep_rows) to `path`.
// kInvalidArgument for another ending or a path that cannot be written.
Status WriteReport(const Analysis& analysis, const std::string& path);

// `text` made safe for a spreadsheet cell: a leading =, +, -, @, tab or CR (which Excel and
// LibreOffice would treat as a formula) gets a leading apostrophe.
std::string NeutralizeFormula(std::string_view text);

}  // namespace roster::import
