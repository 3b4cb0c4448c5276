#pragma once

// PackedRows: rows on their way from the reading to the checking of an analysis (which runs
// on a thread of its own, see CheckingThread), packed: every cell's text in one string. As a
// vector of sheet::Row, each cell is a string of its own, about four times the memory of its
// text.
// Holds at most 4 GiB of text.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sheet/workbook_reader.h"

namespace roster::import {

class PackedRows {
 public:
  void Add(const sheet::Row& row);
  size_t rows() const { return rows_.size(); }
  // The bytes held, for a caller's bound.
  size_t bytes() const;
  // Calls `visit` with each row in the order added, until it returns false; says whether it
  // visited them all. The row passed is reused from call to call.
  bool Visit(const std::function<bool(const sheet::Row&)>& visit) const;
  void Clear();

 private:
  struct PackedCell {
    uint32_t end;  // in texts_
    sheet::CellType type;
  };
  struct PackedRow {
    int64_t number;
    size_t first_cell;  // in cells_
    size_t cell_count;
  };
  std::string texts_;
  std::vector<PackedCell> cells_;
  std::vector<PackedRow> rows_;
};

}  // namespace roster::import
