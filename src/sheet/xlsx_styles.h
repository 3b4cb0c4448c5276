#pragma once

// XlsxStyles: which cell formats (the `s` attribute of a cell, an index into cellXfs) display
// numbers as dates, from the styles part: built-in date formats by id, custom ones
// (<numFmt formatCode>) by their code. Read once per workbook with expat; read-only afterwards,
// so it may be shared between threads.

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "sheet/zip_archive.h"

namespace roster::sheet {

class XlsxStyles {
 public:
  // At most this many cell formats are read.
  static constexpr size_t kMaxCellFormats = 1'000'000;

  // Reads `part` of `zip` ("xl/styles.xml"); an empty part name gives no date formats.
  static Result<XlsxStyles> Read(ZipArchive& zip, const std::string& part);

  // Builds the table directly: is_date[i] for cell format i (tests, ods).
  explicit XlsxStyles(std::vector<bool> is_date = {}) : is_date_(std::move(is_date)) {}

  // Whether cell format `index` displays dates; false for unknown indexes.
  bool IsDate(int64_t index) const {
    return index >= 0 && static_cast<size_t>(index) < is_date_.size() &&
           is_date_[static_cast<size_t>(index)];
  }

 private:
  std::vector<bool> is_date_;
};

}  // namespace roster::sheet
