#pragma once

// The result report of an import: one row per data row of the file with what became of it
// (deleted, already gone, excluded, empty, duplicate, error), as .xlsx or .csv by the name's
// ending, written from the row records of its check (import/row_records.h), not from the file.
// Cells that a spreadsheet would run as a formula are neutralized. The .xlsx is written a row
// at a time (libxlsxwriter's constant memory), so a million rows take no more memory than ten.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/import_job.h"
#include "core/status.h"

namespace roster::import {

// What an execution did to the planned rows: in `mode`, every planned row was deleted (or
// created, or updated) except those of `gone_rows` (sorted), which someone else had changed.
struct ReportOutcome {
  ImportMode mode = ImportMode::kDelete;
  std::vector<int64_t> gone_rows;
};

// Writes `rows` to `path`; without an outcome (a dry run) planned rows read "planned".
// kInvalidArgument for another ending or a path that cannot be written.
Status WriteReport(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                   const std::string& path);

}  // namespace roster::import
