#include "sheet/freexl_reader.h"

#include <freexl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "sheet/advice.h"
#include "sheet/bound_sheets.h"
#include "sheet/cell_format.h"
#include "sheet/cell_reference.h"
#include "sheet/compound_file.h"
#include "sheet/file_type.h"
#include "sheet/text_decoding.h"

namespace roster::sheet {
namespace {

constexpr int kSecondsPerDay = 86'400;

struct FreeXlCloser {
  void operator()(const void* handle) const { freexl_close(handle); }
};
using FreeXlHandle = std::unique_ptr<const void, FreeXlCloser>;

Status Damaged(const std::string& display_name, int code) {
  return InvalidArgument(display_name +
                         ": the Excel 97-2003 workbook is damaged or cannot be read (FreeXL "
                         "error " +
                         std::to_string(code) + "): open it in Excel and save it as .xlsx");
}

// FreeXL's "HH:MM:SS" as Excel's serial fraction of a day.
double TimeOfDay(const char* text) {
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  if (std::sscanf(text, "%d:%d:%d", &hours, &minutes, &seconds) != 3) return 0;
  return static_cast<double>(hours * 3600 + minutes * 60 + seconds) / kSecondsPerDay;
}

// Sets the `visible` flags of FreeXL's `sheets` from the workbook's BOUNDSHEET records, which
// FreeXL reads but does not report. FreeXL lists the worksheets (kind 0) in record order, so
// they must line up by count and name; when they do not, or when the records cannot be read,
// `sheets` is left as it is and the answer is false (visibility unknown).
bool ReadSheetVisibility(const std::string& path, const Limits& limits,
                         const std::string& display_name, std::vector<SheetInfo>& sheets) {
  const auto max_bytes = static_cast<uint64_t>(std::max<int64_t>(limits.max_file_bytes, 0));
  Result<std::string> stream = ReadCompoundFileStream(path, "Workbook", max_bytes, display_name);
  if (stream.status().code() == ErrorCode::kNotFound) {
    stream = ReadCompoundFileStream(path, "Book", max_bytes, display_name);
  }
  if (!stream.ok()) return false;
  Result<std::vector<BoundSheet>> bound = ReadBoundSheets(*stream, display_name);
  if (!bound.ok()) return false;
  std::vector<const BoundSheet*> worksheets;
  for (const BoundSheet& sheet : *bound) {
    if (sheet.kind == kWorksheetKind) worksheets.push_back(&sheet);
  }
  if (worksheets.size() != sheets.size()) return false;
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (worksheets[i]->name != sheets[i].name) return false;
  }
  for (size_t i = 0; i < sheets.size(); ++i) sheets[i].visible = !worksheets[i]->hidden;
  return true;
}

class XlsReader final : public WorkbookReader {
 public:
  XlsReader(FreeXlHandle handle, std::vector<SheetInfo> sheets, bool knows_visibility,
            bool date1904, const Limits& limits, std::string display_name)
      : handle_(std::move(handle)),
        sheets_(std::move(sheets)),
        knows_visibility_(knows_visibility),
        date1904_(date1904),
        limits_(limits),
        display_name_(std::move(display_name)) {}

  FileType type() const override { return FileType::kXls; }
  const std::vector<SheetInfo>& sheets() const override { return sheets_; }
  // FreeXL 1.0.6 does not report the BOUNDSHEET records' hidden state: known only when this
  // reader's own reading of those records lined up with FreeXL's sheets.
  bool KnowsSheetVisibility() const override { return knows_visibility_; }

  Status ReadRows(size_t sheet_index, const RowCallback& on_row) override {
    if (sheet_index >= sheets_.size()) {
      return InvalidArgument(display_name_ + ": there is no sheet " +
                             std::to_string(sheet_index + 1));
    }
    int rc =
        freexl_select_active_worksheet(handle_.get(), static_cast<unsigned short>(sheet_index));
    if (rc != FREEXL_OK) return Damaged(display_name_, rc);
    unsigned int rows = 0;
    unsigned short columns = 0;
    rc = freexl_worksheet_dimensions(handle_.get(), &rows, &columns);
    if (rc != FREEXL_OK) return Damaged(display_name_, rc);

    Row row;
    for (unsigned int r = 0; r < rows; ++r) {
      row.cells.clear();
      for (unsigned short c = 0; c < columns; ++c) {
        FreeXL_CellValue value;
        rc = freexl_get_cell_value(handle_.get(), r, c, &value);
        if (rc != FREEXL_OK) return Damaged(display_name_, rc);
        Cell cell;
        ConvertCell(value, cell);
        if (cell.type == CellType::kEmpty) continue;
        if (c >= limits_.max_columns) {
          return ResourceExhausted(display_name_ + ": row " + std::to_string(r + 1) +
                                   " of sheet \"" + sheets_[sheet_index].name +
                                   "\" has more than " + std::to_string(limits_.max_columns) +
                                   " columns (the limit)" + std::string(kSplitOrTrim));
        }
        if (CountUtf8CodePoints(cell.text) > limits_.max_cell_chars) {
          return ResourceExhausted(display_name_ + ": the cell in row " + std::to_string(r + 1) +
                                   ", column " + ColumnName(c) + " of sheet \"" +
                                   sheets_[sheet_index].name + "\" is longer than " +
                                   std::to_string(limits_.max_cell_chars) +
                                   " characters (the limit)" + std::string(kShorten));
        }
        row.cells.resize(c);  // the empty cells before this one
        row.cells.push_back(std::move(cell));
      }
      if (row.cells.empty()) continue;
      row.number = static_cast<int64_t>(r) + 1;
      if (row.number > limits_.max_rows + 1) {  // the data rows and a header
        return ResourceExhausted(display_name_ + ": sheet \"" + sheets_[sheet_index].name +
                                 "\" has more than " + FormatCount(limits_.max_rows) +
                                 " data rows below its header (the limit)" +
                                 std::string(kSplitOrTrim));
      }
      if (!on_row(row)) return Status::Ok();
    }
    return Status::Ok();
  }

 private:
  void ConvertCell(const FreeXL_CellValue& value, Cell& cell) const {
    switch (value.type) {
      case FREEXL_CELL_INT:
        cell.type = CellType::kNumber;
        cell.text = std::to_string(value.value.int_value);
        break;
      case FREEXL_CELL_DOUBLE:
        cell.type = CellType::kNumber;
        cell.text = FormatNumber(value.value.double_value);
        break;
      case FREEXL_CELL_TEXT:
      case FREEXL_CELL_SST_TEXT:
        if (value.value.text_value != nullptr && value.value.text_value[0] != '\0') {
          cell.type = CellType::kText;
          cell.text = value.value.text_value;
        }
        break;
      case FREEXL_CELL_DATE:  // "YYYY-MM-DD"
        cell.type = CellType::kDate;
        cell.text = value.value.text_value;
        break;
      case FREEXL_CELL_DATETIME: {  // "YYYY-MM-DD HH:MM:SS"
        cell.type = CellType::kDate;
        cell.text = value.value.text_value;
        if (cell.text.size() > 10) {
          if (cell.text.ends_with(" 00:00:00")) {
            cell.text.resize(10);
          } else {
            cell.text[10] = 'T';
          }
        }
        break;
      }
      case FREEXL_CELL_TIME:  // "HH:MM:SS": the time on day 0, as the other readers show it
        cell.type = CellType::kDate;
        cell.text = FormatSerialDate(TimeOfDay(value.value.text_value), date1904_);
        break;
      default: break;  // FREEXL_CELL_NULL
    }
  }

  FreeXlHandle handle_;
  std::vector<SheetInfo> sheets_;
  bool knows_visibility_;
  bool date1904_;
  Limits limits_;
  std::string display_name_;
};

}  // namespace

Result<std::unique_ptr<WorkbookReader>> OpenFreeXl(const std::string& path, const Limits& limits,
                                                   const std::string& display_name) {
  // freexl_open reads and parses the whole workbook (cells included) into memory: bounded by
  // the file size, which OpenWorkbook checks against limits.max_file_bytes first.
  const void* raw = nullptr;
  int rc = freexl_open(path.c_str(), &raw);
  FreeXlHandle handle(raw);
  // FreeXL refuses an encrypted (FILEPASS) workbook by succeeding without a handle; a
  // handle that reports obfuscation is treated the same.
  unsigned int info = 0;
  if ((rc == FREEXL_OK && raw == nullptr) ||
      (raw != nullptr && freexl_get_info(raw, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
       info == FREEXL_BIFF_OBFUSCATED)) {
    return InvalidArgument(PasswordProtectedMessage(display_name));
  }
  if (rc == FREEXL_FILE_NOT_FOUND) return NotFound(display_name + ": the file does not exist");
  if (rc != FREEXL_OK) return Damaged(display_name, rc);

  unsigned int sheet_count = 0;
  rc = freexl_get_info(raw, FREEXL_BIFF_SHEET_COUNT, &sheet_count);
  if (rc != FREEXL_OK) return Damaged(display_name, rc);
  unsigned int date_mode = FREEXL_BIFF_DATEMODE_1900;
  rc = freexl_get_info(raw, FREEXL_BIFF_DATEMODE, &date_mode);
  if (rc != FREEXL_OK) return Damaged(display_name, rc);

  std::vector<SheetInfo> sheets;
  for (unsigned int i = 0; i < sheet_count; ++i) {
    const char* name = nullptr;
    rc = freexl_get_worksheet_name(raw, static_cast<unsigned short>(i), &name);
    if (rc != FREEXL_OK) return Damaged(display_name, rc);
    sheets.push_back(SheetInfo{name != nullptr ? name : "", true});
  }
  if (sheets.empty()) {
    return InvalidArgument(display_name + ": the workbook has no worksheet");
  }
  const bool knows_visibility = ReadSheetVisibility(path, limits, display_name, sheets);
  return std::unique_ptr<WorkbookReader>(
      std::make_unique<XlsReader>(std::move(handle), std::move(sheets), knows_visibility,
                                  date_mode == FREEXL_BIFF_DATEMODE_1904, limits, display_name));
}

}  // namespace roster::sheet
