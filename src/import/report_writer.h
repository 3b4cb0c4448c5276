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

}  // namespace roster::import
