#pragma once

// RowLog: what became of each data row, for the result report. It keeps the rows (as row
// records, about 35 bytes a row) only when a report is asked for, so both mode checkers
// record unconditionally and pay nothing otherwise. One thread at a time.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "import/analysis.h"
#include "import/row_records.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

class RowLog {
 public:
  explicit RowLog(bool keep) : keep_(keep) {}

  void Add(int64_t row, std::string_view value, RowStatus status, std::string_view message = "",
           bool creates = false) {
    if (keep_) records_.Add(row, value, status, message, creates);
  }

  // Rows first_row .. first_row + count - 1, which the reader skipped because they had no
  // cells at all: logged as empty and counted in `counts` as data rows that are empty.
  void AddEmpty(int64_t first_row, int64_t count, ImportCounts& counts) {
    counts.rows += count;
    counts.empty_rows += count;
    for (int64_t row = first_row; row < first_row + count; ++row) Add(row, "", RowStatus::kEmpty);
  }

  std::vector<RowChunk> Take() { return records_.Finish(); }

 private:
  bool keep_;
  RowRecordWriter records_;
};

// True when every cell of the row is empty or white space.
bool RowIsEmpty(const sheet::Row& row);

}  // namespace roster::import
