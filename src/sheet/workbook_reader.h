#pragma once

// WorkbookReader: what Roster sees in an uploaded spreadsheet. A reader is opened on a file
// (OpenWorkbook picks the format from the content, not the name), lists the sheets, and
// streams the rows of one sheet in order, so memory stays bounded whatever the row count.
// A reader is used from one thread at a time; the file must stay in place while it is open.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sheet/limits.h"

namespace roster::sheet {

enum class FileType { kXlsx, kXls, kOds, kCsv };

// "xlsx", "xls", "ods", "csv".
std::string_view FileTypeName(FileType type);

enum class CellType { kEmpty, kText, kNumber, kBoolean, kDate, kError };

// One cell, as a person sees it in the spreadsheet: `text` is the displayed value (a number
// without a spurious ".0", a date as ISO 8601 "2024-03-01" or "2024-03-01T08:30:00", a
// boolean as "TRUE"/"FALSE", an error as "#N/A"). A number stored as text stays text.
struct Cell {
  CellType type = CellType::kEmpty;
  std::string text;
};

// One row. `number` is the row number the spreadsheet shows (1-based; for CSV the record's
// number, counting from 1). `cells[i]` is column i (0 = A); trailing empty cells are dropped,
// so `cells` may be shorter than the header. Rows without any cell are not delivered: the
// gap in `number` shows them.
struct Row {
  int64_t number = 0;
  std::vector<Cell> cells;
};

struct SheetInfo {
  std::string name;
  bool visible = true;
};

// What was detected in a text file, so the console can show it.
struct TextFormat {
  std::string encoding;  // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252"
  char delimiter = ',';  // ',' ';' '\t' '|'
};

// Called for each row; return false to stop reading early (a preview needs only a few rows).
// The Row is reused between calls: copy what must outlive the call.
using RowCallback = std::function<bool(const Row&)>;

class WorkbookReader {
 public:
  virtual ~WorkbookReader() = default;

  virtual FileType type() const = 0;

  // The sheets in workbook order. A CSV file has one sheet, named after the file.
  virtual const std::vector<SheetInfo>& sheets() const = 0;

  // False when the format's reader cannot tell hidden sheets from visible ones (then every
  // sheet reads visible), so that nobody picks a sheet automatically on that basis.
  virtual bool KnowsSheetVisibility() const { return true; }

  // Set for CSV files, empty for workbooks.
  virtual std::optional<TextFormat> text_format() const { return std::nullopt; }

  // Streams the rows of sheet `sheet_index` (an index into sheets()). Fails with a message
  // that names the file part at fault (kInvalidArgument: broken or hostile content;
  // kResourceExhausted: a limit was hit). Can be called again to read the sheet again.
  virtual Status ReadRows(size_t sheet_index, const RowCallback& on_row) = 0;
};

// Opens `path`, detecting the type from the content. `display_name` is what messages call
// the file (the uploaded name); it defaults to the path's file name. Fails with
// kInvalidArgument for files that are not readable spreadsheets ("not a spreadsheet",
// "password-protected", truncated) and kResourceExhausted for files over the limits.
Result<std::unique_ptr<WorkbookReader>> OpenWorkbook(const std::string& path,
                                                     const Limits& limits = Limits(),
                                                     std::string display_name = "");

}  // namespace roster::sheet
