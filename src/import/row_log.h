#pragma once

// RowLog: what became of each data row, for the result report. It keeps the rows (as row
// records, about 35 bytes a row) only when a report is asked for, so both mode checkers
// record unconditionally and pay nothing otherwise. One thread at a time.

#include <cstdint>
#include <functional>
#include <map>
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

  // The same rows, except those the admin fixed: a row without any cell that has a fix is
  // checked with it by `check`, like any fixed row (both mode checkers).
  void AddEmpty(int64_t first_row, int64_t count, const std::map<int64_t, std::string>& fixes,
                ImportCounts& counts, const std::function<void(const sheet::Row&)>& check) {
    const int64_t end = first_row + count;
    int64_t row = first_row;
    for (auto fix = fixes.lower_bound(first_row); fix != fixes.end() && fix->first < end; ++fix) {
      AddEmpty(row, fix->first - row, counts);
      check(sheet::Row{fix->first, {}});
      row = fix->first + 1;
    }
    AddEmpty(row, end - row, counts);
  }

  std::vector<RowChunk> Take() { return records_.Finish(); }

 private:
  bool keep_;
  RowRecordWriter records_;
};

// True when every cell of the row is empty or white space.
bool RowIsEmpty(const sheet::Row& row);

}  // namespace roster::import
