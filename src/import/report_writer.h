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
#include "import/file_system.h"

namespace roster::import {

// What an execution did to the planned rows: in `mode`, every planned row was deleted (or
// created, or updated) except those of `gone_rows` (sorted), which someone else had changed.
struct ReportOutcome {
  ImportMode mode = ImportMode::kDelete;
  std::vector<int64_t> gone_rows;
};

// Writes `rows` to `path`; without an outcome (a dry run) planned rows read "planned". The
// report is written beside it (`path`.part) and renamed into place, through `files` (the .csv
// entirely, the .xlsx apart from libxlsxwriter's writing of the part); whatever fails, no part
// is left and a report already at `path` stays as it was. kInvalidArgument for another ending
// or a path that cannot be written, with the reason.
Status WriteReport(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                   const std::string& path, FileSystem& files = DefaultFileSystem());

}  // namespace roster::import
