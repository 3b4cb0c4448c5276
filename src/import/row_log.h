#pragma once

// RowLog: what became of each data row, for the result report. It keeps the rows only when a
// report is asked for (about 100 bytes a row), so both mode checkers record unconditionally
// and pay nothing otherwise. One thread at a time.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "import/analysis.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

class RowLog {
 public:
  explicit RowLog(bool keep) : keep_(keep) {}

  void Add(int64_t row, std::string_view value, RowStatus status, std::string message = "") {
    if (keep_) rows_.push_back({row, std::string(value), status, std::move(message)});
  }

  // Rows first_row .. first_row + count - 1, which the reader skipped because they had no
  // cells at all: logged as empty and counted in `counts` as data rows that are empty.
  void AddEmpty(int64_t first_row, int64_t count, ImportCounts& counts) {
    counts.rows += count;
    counts.empty_rows += count;
    for (int64_t row = first_row; row < first_row + count; ++row) Add(row, "", RowStatus::kEmpty);
  }

  std::vector<RowOutcome> Take() { return std::move(rows_); }

 private:
  bool keep_;
  std::vector<RowOutcome> rows_;
};

// True when every cell of the row is empty or white space.
bool RowIsEmpty(const sheet::Row& row);

}  // namespace roster::import
