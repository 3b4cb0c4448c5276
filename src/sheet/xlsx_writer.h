#pragma once

// XlsxWriter: writes small .xlsx workbooks (the import template, result reports) through
// libxlsxwriter. Cells are text or numbers; text is always written as a string cell, so
// "00123" stays "00123" when the file is opened again. Nothing reaches the disk until Close().
// A writer is used from one thread at a time. By default it holds the whole workbook in memory
// (templates, reports); with Options::constant_memory it keeps one row at a time, for
// exports of any size.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/result.h"

struct lxw_workbook;
struct lxw_format;
struct lxw_worksheet;

namespace roster::sheet {

// One cell to write: nothing (a gap), text, or a number.
using XlsxCellValue = std::variant<std::monostate, std::string, double>;

// How a drop-down list treats a value that is not one of its choices.
struct DropDownOptions {
  // False: Excel refuses the value. True: Excel warns and lets the admin keep it (a list of
  // common choices where others are valid too).
  bool allow_other = false;
  // Shown when the value is not in the list; empty for Excel's own text. At most 255
  // characters.
  std::string message;
};

class XlsxWriter {
 public:
  struct Options {
    // Each row goes to a temporary file once a later row is started, so memory stays
    // bounded whatever the row count. Rows must then be written in ascending order (a row
    // before the current one fails with kInvalidArgument), and strings are written inline in
    // the cells instead of a shared-strings table.
    bool constant_memory = false;
  };

  // Starts a workbook that Close() writes to `path`. Fails with kInvalidArgument when
  // libxlsxwriter refuses the path.
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path);
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path,
                                                    const Options& options);

  // Discards the workbook unless Close() was called.
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Adds a sheet and returns its index (0, 1, ... in the order added). Fails with
  // kInvalidArgument for a name Excel refuses (empty, over 31 characters, one of []:*?/\,
  // or a duplicate).
  Result<size_t> AddSheet(const std::string& name);

  // Writes `titles` as row 1 (index 0) of `sheet`, in bold.
  Status WriteHeader(size_t sheet, const std::vector<std::string>& titles);

  // Writes `cells` into row `row` (0-based; row 0 is the header), from column A.
  Status WriteRow(size_t sheet, int64_t row, const std::vector<XlsxCellValue>& cells);

  // Sets the width (in characters, as Excel counts them) of columns first..last (0-based).
  Status SetColumnWidth(size_t sheet, int64_t first_column, int64_t last_column, double width);

  // Attaches a note (a cell comment, shown on hover) to a cell, e.g. a header's explanation.
  Status AddNote(size_t sheet, int64_t row, int64_t column, const std::string& text);

  // A drop-down list on column `column`, rows first_row..last_row (0-based): only `choices`
  // can be entered. Excel limits the list to 255 characters in all; longer lists fail with
  // kInvalidArgument. (A list from a cell range is left out on purpose: libxlsxwriter 1.1.4
  // leaks the formula string of such a validation.)
  Status AddDropDown(size_t sheet, int64_t column, int64_t first_row, int64_t last_row,
                     const std::vector<std::string>& choices,
                     const DropDownOptions& options = DropDownOptions());

  // Writes the workbook to the path. After Close() (whatever its outcome) the writer cannot
  // be used; calling it again fails with kFailedPrecondition.
  Status Close();

 private:
  XlsxWriter(lxw_workbook* workbook, std::string path);
  Result<lxw_worksheet*> Sheet(size_t sheet) const;
  Status Check(int error, const std::string& what) const;

  lxw_workbook* workbook_;  // owned; null after Close()
  std::string path_;
  lxw_format* bold_ = nullptr;          // owned by workbook_
  std::vector<lxw_worksheet*> sheets_;  // owned by workbook_
};

}  // namespace roster::sheet
