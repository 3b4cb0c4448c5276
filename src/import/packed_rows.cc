#include "import/packed_rows.h"

namespace roster::import {

void PackedRows::Add(const sheet::Row& row) {
  rows_.push_back({row.number, cells_.size(), row.cells.size()});
  for (const sheet::Cell& cell : row.cells) {
    texts_ += cell.text;
    cells_.push_back({static_cast<uint32_t>(texts_.size()), cell.type});
  }
}

size_t PackedRows::bytes() const {
  return texts_.size() + cells_.size() * sizeof(PackedCell) + rows_.size() * sizeof(PackedRow);
}

bool PackedRows::Visit(const std::function<bool(const sheet::Row&)>& visit) const {
  sheet::Row row;
  for (const PackedRow& packed : rows_) {
    row.number = packed.number;
    row.cells.resize(packed.cell_count);
    for (size_t i = 0; i < packed.cell_count; ++i) {
      const size_t cell = packed.first_cell + i;
      const size_t begin = cell == 0 ? 0 : cells_[cell - 1].end;
      row.cells[i].type = cells_[cell].type;
      row.cells[i].text.assign(texts_, begin, cells_[cell].end - begin);
    }
    if (!visit(row)) return false;
  }
  return true;
}

void PackedRows::Clear() {
  texts_ = {};
  cells_ = {};
  rows_ = {};
}

}  // namespace roster::import
