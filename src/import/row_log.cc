#include "import/row_log.h"

#include <algorithm>

#include "core/text.h"

namespace roster::import {

bool RowIsEmpty(const sheet::Row& row) {
  return std::all_of(row.cells.begin(), row.cells.end(),
                     [](const sheet::Cell& cell) { return Trim(cell.text).empty(); });
}

}  // namespace roster::import
