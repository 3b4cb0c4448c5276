#include "sheet/xlsx_writer.h"

#include <xlsxwriter.h>

#include <cmath>
#include <utility>

namespace roster::sheet {
namespace {

// Excel's own limit for a list typed into a data validation.
constexpr size_t kMaxDropDownListChars = 255;
// And for the message shown when a value is not in the list.
constexpr size_t kMaxDropDownMessageChars = 255;

bool InGrid(int64_t row, int64_t column) {
  return row >= 0 && row < LXW_ROW_MAX && column >= 0 && column < LXW_COL_MAX;
}

Status OutsideGrid(int64_t row, int64_t column) {
  return InvalidArgument("cell (row " + std::to_string(row) + ", column " + std::to_string(column) +
                         ") is outside the worksheet");
}

}  // namespace

XlsxWriter::XlsxWriter(lxw_workbook* workbook, std::string path)
    : workbook_(workbook), path_(std::move(path)) {
  bold_ = workbook_add_format(workbook_);
  if (bold_ != nullptr) format_set_bold(bold_);
}

XlsxWriter::~XlsxWriter() {
  if (workbook_ != nullptr) lxw_workbook_free(workbook_);
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path) {
  return Create(path, Options());
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path,
                                                       const Options& options) {
  lxw_workbook_options lxw_options{};
  lxw_options.constant_memory = options.constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &lxw_options);
  if (workbook == nullptr) return InvalidArgument("cannot create a workbook at " + path);
  return std::unique_ptr<XlsxWriter>(new XlsxWriter(workbook, path));
}

Status XlsxWriter::Check(int error, const std::string& what) const {
  if (error == LXW_NO_ERROR) return Status::Ok();
  return InvalidArgument(what + ": " + lxw_strerror(static_cast<lxw_error>(error)));
}

Result<lxw_worksheet*> XlsxWriter::Sheet(size_t sheet) const {
  if (workbook_ == nullptr) return FailedPrecondition("the workbook " + path_ + " is closed");
  if (sheet >= sheets_.size()) return InvalidArgument("no sheet " + std::to_string(sheet));
  return sheets_[sheet];
}

Result<size_t> XlsxWriter::AddSheet(const std::string& name) {
  if (workbook_ == nullptr) return FailedPrecondition("the workbook " + path_ + " is closed");
  ROSTER_RETURN_IF_ERROR(
      Check(workbook_validate_sheet_name(workbook_, name.c_str()), "sheet name \"" + name + "\""));
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook_, name.c_str());
  if (worksheet == nullptr) return InvalidArgument("cannot add sheet \"" + name + "\"");
  sheets_.push_back(worksheet);
  return sheets_.size() - 1;
}

Status XlsxWriter::WriteHeader(size_t sheet, const std::vector<std::string>& titles) {
  ROSTER_ASSIGN_OR_RETURN(lxw_worksheet * worksheet, Sheet(sheet));
  if (!InGrid(0, static_cast<int64_t>(titles.size()) - 1)) return OutsideGrid(0, titles.size());
  for (size_t column = 0; column < titles.size(); ++column) {
    ROSTER_RETURN_IF_ERROR(
        Check(worksheet_write_string(worksheet, 0, static_cast<lxw_col_t>(column),
                                     titles[column].c_str(), bold_),
              "header cell " + std::to_string(column)));
  }
  return Status::Ok();
}

Status XlsxWriter::WriteRow(size_t sheet, int64_t row, const std::vector<XlsxCellValue>& cells) {
  ROSTER_ASSIGN_OR_RETURN(lxw_worksheet * worksheet, Sheet(sheet));
  if (cells.empty()) return Status::Ok();
  if (!InGrid(row, static_cast<int64_t>(cells.size()) - 1)) {
    return OutsideGrid(row, static_cast<int64_t>(cells.size()) - 1);
  }
  const auto lxw_row = static_cast<lxw_row_t>(row);
  for (size_t column = 0; column < cells.size(); ++column) {
    const auto lxw_column = static_cast<lxw_col_t>(column);
    const std::string where = "row " + std::to_string(row) + ", column " + std::to_string(column);
    if (const auto* text = std::get_if<std::string>(&cells[column])) {
      if (text->empty()) continue;
      ROSTER_RETURN_IF_ERROR(Check(
          worksheet_write_string(worksheet, lxw_row, lxw_column, text->c_str(), nullptr), where));
    } else if (const auto* number = std::get_if<double>(&cells[column])) {
      if (!std::isfinite(*number)) return InvalidArgument(where + ": not a finite number");
      ROSTER_RETURN_IF_ERROR(
          Check(worksheet_write_number(worksheet, lxw_row, lxw_column, *number, nullptr), where));
    }
  }
  return Status::Ok();
}

Status XlsxWriter::SetColumnWidth(size_t sheet, int64_t first_column, int64_t last_column,
                                  double width) {
  ROSTER_ASSIGN_OR_RETURN(lxw_worksheet * worksheet, Sheet(sheet));
  if (!InGrid(0, first_column) || !InGrid(0, last_column) || first_column > last_column) {
    return OutsideGrid(0, last_column);
  }
  return Check(worksheet_set_column(worksheet, static_cast<lxw_col_t>(first_column),
                                    static_cast<lxw_col_t>(last_column), width, nullptr),
               "column width");
}

Status XlsxWriter::AddNote(size_t sheet, int64_t row, int64_t column, const std::string& text) {
  ROSTER_ASSIGN_OR_RETURN(lxw_worksheet * worksheet, Sheet(sheet));
  if (!InGrid(row, column)) return OutsideGrid(row, column);
  return Check(worksheet_write_comment(worksheet, static_cast<lxw_row_t>(row),
                                       static_cast<lxw_col_t>(column), text.c_str()),
               "note");
}

Status XlsxWriter::AddDropDown(size_t sheet, int64_t column, int64_t first_row, int64_t last_row,
                               const std::vector<std::string>& choices,
                               const DropDownOptions& options) {
  ROSTER_ASSIGN_OR_RETURN(lxw_worksheet * worksheet, Sheet(sheet));
  if (!InGrid(first_row, column) || !InGrid(last_row, column) || first_row > last_row) {
    return OutsideGrid(last_row, column);
  }
  if (choices.empty()) return InvalidArgument("a drop-down list needs at least one choice");
  size_t total = choices.size() - 1;  // the separating commas
  std::vector<char*> list;
  for (const std::string& choice : choices) {
    total += choice.size();
    list.push_back(const_cast<char*>(choice.c_str()));  // libxlsxwriter only reads it
  }
  if (total > kMaxDropDownListChars) {
    return InvalidArgument("the drop-down choices take " + std::to_string(total) +
                           " characters, more than Excel's limit of 255");
  }
  list.push_back(nullptr);
  lxw_data_validation validation{};
  validation.validate = LXW_VALIDATION_TYPE_LIST;
  validation.value_list = list.data();
  validation.error_type =
      options.allow_other ? LXW_VALIDATION_ERROR_TYPE_WARNING : LXW_VALIDATION_ERROR_TYPE_STOP;
  if (!options.message.empty()) {
    if (options.message.size() > kMaxDropDownMessageChars) {
      return InvalidArgument("the drop-down message has " + std::to_string(options.message.size()) +
                             " characters, more than Excel's limit of 255");
    }
    validation.error_message = const_cast<char*>(options.message.c_str());  // only read
  }
  return Check(worksheet_data_validation_range(
                   worksheet, static_cast<lxw_row_t>(first_row), static_cast<lxw_col_t>(column),
                   static_cast<lxw_row_t>(last_row), static_cast<lxw_col_t>(column), &validation),
               "drop-down list");
}

Status XlsxWriter::Close() {
  if (workbook_ == nullptr) return FailedPrecondition("the workbook " + path_ + " is closed");
  // workbook_close frees the workbook whatever its outcome.
  const lxw_error error = workbook_close(workbook_);
  workbook_ = nullptr;
  sheets_.clear();
  bold_ = nullptr;
  if (error != LXW_NO_ERROR) {
    return Internal("cannot write the workbook " + path_ + ": " + lxw_strerror(error));
  }
  return Status::Ok();
}

}  // namespace roster::sheet
