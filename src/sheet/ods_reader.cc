#include "sheet/ods_reader.h"

#include <charconv>
#include <cstring>
#include <unordered_set>

#include "sheet/advice.h"
#include "sheet/cell_format.h"
#include "sheet/cell_reference.h"
#include "sheet/expat_parser.h"
#include "sheet/xml_text.h"
#include "sheet/zip_archive.h"

namespace roster::sheet {
namespace {

constexpr std::string_view kContentPart = "content.xml";
constexpr std::string_view kSpreadsheetMimeType = "application/vnd.oasis.opendocument.spreadsheet";
constexpr int64_t kMaxMimeTypeBytes = 256;
// Repeats multiply what one cell holds; a row's text is capped so they cannot multiply memory.
constexpr int64_t kMaxRowTextBytes = int64_t{64} << 20;
constexpr int64_t kMaxSpacesPerElement = 1 << 16;

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

int64_t RepeatCount(const char* value) {
  if (value == nullptr) return 1;
  int64_t count = 1;
  const char* end = value + std::strlen(value);
  if (std::from_chars(value, end, count).ptr != end || count < 1) return 1;
  return count;
}

// "2024-03-01T00:00:00" -> "2024-03-01"; "2024-03-01T08:30:00.123" -> "2024-03-01T08:30:00".
std::string IsoDate(std::string_view value) {
  const size_t t = value.find('T');
  if (t == std::string_view::npos) return std::string(value.substr(0, 10));
  const std::string_view time = value.substr(t + 1, 8);
  if (time == "00:00:00") return std::string(value.substr(0, t));
  return std::string(value.substr(0, t)) + "T" + std::string(time);
}

// The sheet list and hidden table styles: one pass over content.xml at open.
class SheetListHandler final : public XmlHandler {
 public:
  explicit SheetListHandler(std::string context) : context_(std::move(context)) {}

  Status OnStart(std::string_view name, const XmlAttributes& attributes) override {
    if (name == "style") {
      const char* style = attributes.FindQualified("style:name");
      current_style_ = style != nullptr ? style : "";
    } else if (name == "table-properties") {
      const char* display = attributes.FindQualified("table:display");
      if (display != nullptr && std::strcmp(display, "false") == 0 && !current_style_.empty()) {
        hidden_styles_.insert(current_style_);
      }
    } else if (name == "table") {
      if (++table_depth_ > 1) return Status::Ok();  // a table inside a cell is not a sheet
      if (sheets_.size() >= 100'000) {
        return ResourceExhausted(context_ + " has more than 100,000 sheets");
      }
      const char* sheet_name = attributes.FindQualified("table:name");
      const char* style = attributes.FindQualified("table:style-name");
      sheets_.push_back(
          {sheet_name != nullptr ? sheet_name : "Sheet" + std::to_string(sheets_.size() + 1),
           style == nullptr || hidden_styles_.count(style) == 0});
    }
    return Status::Ok();
  }
  Status OnEnd(std::string_view name) override {
    if (name == "table") --table_depth_;
    if (name == "style") current_style_.clear();
    return Status::Ok();
  }
  Status OnText(std::string_view) override { return Status::Ok(); }

  std::vector<SheetInfo>& sheets() { return sheets_; }

 private:
  std::string context_;
  std::string current_style_;
  std::unordered_set<std::string> hidden_styles_;
  std::vector<SheetInfo> sheets_;
  int table_depth_ = 0;
};

// The rows of one table.
class RowsHandler final : public XmlHandler {
 public:
  RowsHandler(size_t sheet_index, std::string sheet_name, std::string display_name,
              std::string context, const Limits& limits, const RowCallback& on_row)
      : sheet_index_(sheet_index),
        sheet_name_(std::move(sheet_name)),
        display_name_(std::move(display_name)),
        context_(std::move(context)),
        limits_(limits),
        on_row_(on_row) {}

  Status OnStart(std::string_view name, const XmlAttributes& attributes) override {
    if (name == "table") {
      ++table_depth_;
      if (table_depth_ == 1) in_sheet_ = tables_seen_++ == sheet_index_;
      return Status::Ok();
    }
    if (!in_sheet_ || table_depth_ != 1) return Status::Ok();
    if (in_cell_) return OnCellContent(name, attributes);
    if (name == "table-row") {
      row_repeat_ = RepeatCount(attributes.FindQualified("table:number-rows-repeated"));
      column_ = 0;
      row_text_bytes_ = 0;
      for (Cell& cell : row_.cells) {
        cell.type = CellType::kEmpty;
        cell.text.clear();
      }
      row_width_ = 0;
    } else if (name == "table-cell" || name == "covered-table-cell") {
      StartCell(name == "covered-table-cell", attributes);
    }
    return Status::Ok();
  }

  Status OnEnd(std::string_view name) override {
    if (name == "table") {
      if (table_depth_-- == 1 && in_sheet_) RequestStop();  // the sheet is read
      return Status::Ok();
    }
    if (!in_sheet_ || table_depth_ != 1) return Status::Ok();
    if (in_cell_) {
      if (name == "table-cell" || name == "covered-table-cell") {
        if (cell_depth_ == 0) return EndCell();
        --cell_depth_;  // a nested element of the same name (never in practice)
        return Status::Ok();
      }
      if (name == "annotation" && annotation_depth_ > 0) --annotation_depth_;
      if ((name == "p" || name == "h") && annotation_depth_ == 0 && paragraph_depth_ > 0) {
        --paragraph_depth_;
        ++paragraphs_ended_;
      }
      return Status::Ok();
    }
    if (name == "table-row") return EndRow();
    return Status::Ok();
  }

  Status OnText(std::string_view text) override {
    if (!in_cell_ || annotation_depth_ > 0 || paragraph_depth_ == 0) return Status::Ok();
    return AppendText(text);
  }

 private:
  void StartCell(bool covered, const XmlAttributes& attributes) {
    in_cell_ = true;
    cell_depth_ = 0;
    annotation_depth_ = 0;
    paragraph_depth_ = 0;
    paragraphs_ended_ = 0;
    text_.clear();
    cell_repeat_ = RepeatCount(attributes.FindQualified("table:number-columns-repeated"));
    cell_type_ = CellType::kEmpty;
    value_.clear();
    if (covered) return;  // the hidden part of a merged area reads empty
    const char* type_attribute = attributes.FindQualified("office:value-type");
    const std::string_view type = type_attribute != nullptr ? type_attribute : "";
    const char* calc_type = attributes.FindQualified("calcext:value-type");
    auto copy = [&](const char* attribute) {
      const char* value = attributes.FindQualified(attribute);
      value_ = value != nullptr ? value : "";
      return value != nullptr;
    };
    if (calc_type != nullptr && std::strcmp(calc_type, "error") == 0) {
      cell_type_ = CellType::kError;
    } else if (type == "float" || type == "percentage" || type == "currency") {
      cell_type_ = copy("office:value") ? CellType::kNumber : CellType::kText;
    } else if (type == "date") {
      cell_type_ = copy("office:date-value") ? CellType::kDate : CellType::kText;
    } else if (type == "boolean") {
      cell_type_ = copy("office:boolean-value") ? CellType::kBoolean : CellType::kText;
    } else if (type == "string") {
      cell_type_ = CellType::kText;
      has_string_value_ = copy("office:string-value");
    } else {
      // No type (show what is written) or a time (the text shows it as the sheet does).
      cell_type_ = CellType::kText;
    }
  }

  Status OnCellContent(std::string_view name, const XmlAttributes& attributes) {
    if (name == "table-cell" || name == "covered-table-cell") {
      ++cell_depth_;
    } else if (name == "annotation") {
      ++annotation_depth_;
    } else if (annotation_depth_ > 0) {
      return Status::Ok();
    } else if (name == "p" || name == "h") {
      if (paragraphs_ended_ > 0 && paragraph_depth_ == 0) ROSTER_RETURN_IF_ERROR(AppendText("\n"));
      ++paragraph_depth_;
    } else if (name == "s") {
      const int64_t count =
          std::min(RepeatCount(attributes.FindQualified("text:c")), kMaxSpacesPerElement);
      ROSTER_RETURN_IF_ERROR(AppendText(std::string(static_cast<size_t>(count), ' ')));
    } else if (name == "tab") {
      ROSTER_RETURN_IF_ERROR(AppendText("\t"));
    } else if (name == "line-break") {
      ROSTER_RETURN_IF_ERROR(AppendText("\n"));
    }
    return Status::Ok();
  }

  Status AppendText(std::string_view text) {
    if (static_cast<int64_t>(text_.size()) > limits_.max_cell_chars * 4) {
      dropped_chars_ += CountUtf8Chars(text);
      return Status::Ok();
    }
    text_.append(text);
    return Status::Ok();
  }

  std::string Name(int64_t column) const { return CellName(sheet_name_, column, row_number_); }

  Status EndCell() {
    in_cell_ = false;
    Cell cell;
    cell.type = cell_type_;
    switch (cell_type_) {
      case CellType::kEmpty: break;
      case CellType::kNumber: {
        double number = 0;
        const auto [end, error] =
            std::from_chars(value_.data(), value_.data() + value_.size(), number);
        if (error != std::errc() || end != value_.data() + value_.size()) {
          return InvalidArgument(display_name_ + ": " + Name(column_) + " holds '" +
                                 value_.substr(0, 40) + "', which is not a number");
        }
        cell.text = FormatNumber(number);
        break;
      }
      case CellType::kDate: cell.text = IsoDate(value_); break;
      case CellType::kBoolean:
        cell.text = value_ == "true" || value_ == "1" ? "TRUE" : "FALSE";
        break;
      case CellType::kText:
      case CellType::kError:
        cell.text = has_string_value_ ? value_ : text_;
        if (dropped_chars_ > 0 || static_cast<int64_t>(cell.text.size()) > limits_.max_cell_chars) {
          const int64_t chars = CountUtf8Chars(cell.text) + dropped_chars_;
          if (chars > limits_.max_cell_chars) {
            return ResourceExhausted(display_name_ + ": " + Name(column_) + " has " +
                                     FormatCount(chars) + " characters; a cell may have at most " +
                                     FormatCount(limits_.max_cell_chars) + std::string(kShorten));
          }
        }
        if (cell.text.empty()) cell.type = CellType::kEmpty;
        break;
    }
    has_string_value_ = false;
    dropped_chars_ = 0;
    if (cell.type == CellType::kEmpty) {
      column_ += cell_repeat_;  // an empty repeat costs nothing
      return Status::Ok();
    }
    const int64_t last = column_ + cell_repeat_ - 1;
    if (last >= limits_.max_columns) {
      return ResourceExhausted(display_name_ + ": " + Name(std::min(last, limits_.max_columns)) +
                               " is beyond column " + ColumnName(limits_.max_columns - 1) +
                               "; a sheet may have at most " + FormatCount(limits_.max_columns) +
                               " columns" + std::string(kSplitOrTrim));
    }
    row_text_bytes_ += static_cast<int64_t>(cell.text.size()) * cell_repeat_;
    if (row_text_bytes_ > kMaxRowTextBytes) {
      return ResourceExhausted(display_name_ + ": row " + FormatCount(row_number_) +
                               " of the sheet '" + sheet_name_ + "' holds more than " +
                               FormatCount(kMaxRowTextBytes) + " bytes of text");
    }
    if (row_.cells.size() <= static_cast<size_t>(last)) {
      row_.cells.resize(static_cast<size_t>(last) + 1);
    }
    for (int64_t c = column_; c <= last; ++c) row_.cells[static_cast<size_t>(c)] = cell;
    row_width_ = static_cast<size_t>(last) + 1;
    column_ = last + 1;
    return Status::Ok();
  }

  Status EndRow() {
    const int64_t first = row_number_;
    row_number_ += row_repeat_;
    if (row_width_ == 0) return Status::Ok();  // an empty repeat costs nothing
    row_.cells.resize(row_width_);
    const int64_t max_row = limits_.max_rows + 1;  // the data rows and a header
    for (int64_t number = first; number < first + row_repeat_; ++number) {
      if (number > max_row) {
        return ResourceExhausted(display_name_ + ": the sheet '" + sheet_name_ +
                                 "' has cells in row " + FormatCount(number) +
                                 "; a sheet may have at most " + FormatCount(limits_.max_rows) +
                                 " data rows below its header" + std::string(kSplitOrTrim));
      }
      row_.number = number;
      if (!on_row_(row_)) {
        RequestStop();
        break;
      }
    }
    return Status::Ok();
  }

  size_t sheet_index_;
  std::string sheet_name_;
  std::string display_name_;
  std::string context_;
  Limits limits_;
  const RowCallback& on_row_;
  int table_depth_ = 0;
  size_t tables_seen_ = 0;
  bool in_sheet_ = false;
  Row row_;
  int64_t row_number_ = 1;
  int64_t row_repeat_ = 1;
  size_t row_width_ = 0;
  int64_t row_text_bytes_ = 0;
  int64_t column_ = 0;
  bool in_cell_ = false;
  int cell_depth_ = 0;
  int annotation_depth_ = 0;
  int paragraph_depth_ = 0;
  int paragraphs_ended_ = 0;
  int64_t cell_repeat_ = 1;
  CellType cell_type_ = CellType::kEmpty;
  std::string value_;
  bool has_string_value_ = false;
  std::string text_;
  int64_t dropped_chars_ = 0;
};

class OdsReader final : public WorkbookReader {
 public:
  OdsReader(std::unique_ptr<ZipArchive> zip, std::vector<SheetInfo> sheets, const Limits& limits)
      : zip_(std::move(zip)), sheets_(std::move(sheets)), limits_(limits) {}

  FileType type() const override { return FileType::kOds; }
  const std::vector<SheetInfo>& sheets() const override { return sheets_; }

  Status ReadRows(size_t sheet_index, const RowCallback& on_row) override {
    if (sheet_index >= sheets_.size()) {
      return InvalidArgument(zip_->display_name() + " has no sheet number " +
                             std::to_string(sheet_index + 1));
    }
    const std::string context = zip_->display_name() + ": the sheet '" + sheets_[sheet_index].name +
                                "' (" + std::string(kContentPart) + ")";
    RowsHandler handler(sheet_index, sheets_[sheet_index].name, zip_->display_name(), context,
                        limits_, on_row);
    ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, zip_->OpenMember(kContentPart));
    return ExpatParser::Parse(*reader, context, handler);
  }

 private:
  std::unique_ptr<ZipArchive> zip_;
  std::vector<SheetInfo> sheets_;
  Limits limits_;
};

}  // namespace

Result<std::unique_ptr<WorkbookReader>> OpenOds(const std::string& path, const Limits& limits,
                                                const std::string& display_name) {
  ROSTER_ASSIGN_OR_RETURN(
      std::unique_ptr<ZipArchive> zip,
      ZipArchive::Open(path, limits, display_name.empty() ? BaseName(path) : display_name));
  if (zip->Contains("mimetype")) {
    ROSTER_ASSIGN_OR_RETURN(const std::string mime_type,
                            zip->ReadMember("mimetype", kMaxMimeTypeBytes));
    if (mime_type.find(kSpreadsheetMimeType) != 0) {
      return InvalidArgument(zip->display_name() + " is an OpenDocument file of type '" +
                             mime_type.substr(0, 80) + "', not a spreadsheet");
    }
  }
  if (!zip->Contains(kContentPart)) {
    return InvalidArgument(zip->display_name() +
                           " has no content.xml; it is not an OpenDocument spreadsheet or it is "
                           "damaged");
  }
  const std::string context = zip->display_name() + ": the content (content.xml)";
  SheetListHandler handler(context);
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, zip->OpenMember(kContentPart));
  ROSTER_RETURN_IF_ERROR(ExpatParser::Parse(*reader, context, handler));
  reader.reset();
  if (handler.sheets().empty()) {
    return InvalidArgument(zip->display_name() +
                           ": the workbook has no sheets; there is nothing "
                           "to read");
  }
  return std::unique_ptr<WorkbookReader>(
      std::make_unique<OdsReader>(std::move(zip), std::move(handler.sheets()), limits));
}

}  // namespace roster::sheet
