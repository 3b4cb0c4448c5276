#include "import/sheet_choice.h"

#include <algorithm>

#include "core/text.h"

namespace roster::import {
namespace {

// Sheet numbers are short; longer digit strings are names (or nonsense), never numbers.
constexpr size_t kMaxSheetNumberDigits = 5;

}  // namespace

std::string SheetList(const std::vector<sheet::SheetInfo>& sheets) {
  std::string list;
  for (const sheet::SheetInfo& info : sheets) {
    list += (list.empty() ? "'" : ", '") + info.name + "'";
  }
  return list;
}

Result<size_t> FindSheet(const std::vector<sheet::SheetInfo>& sheets, const std::string& wanted,
                         const std::string& display_name) {
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (sheets[i].name == wanted) return i;
  }
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (AsciiLower(sheets[i].name) == AsciiLower(wanted)) return i;
  }
  if (!wanted.empty() && wanted.size() <= kMaxSheetNumberDigits &&
      std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    size_t number = std::stoul(wanted);
    if (number >= 1 && number <= sheets.size()) return number - 1;
  }
  return InvalidArgument(display_name + ": the workbook has no sheet '" + wanted +
                         "'; its sheets are " + SheetList(sheets));
}

Result<std::optional<size_t>> FirstSheetWithData(sheet::WorkbookReader& reader) {
  const auto& sheets = reader.sheets();
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (!sheets[i].visible) continue;
    bool has_row = false;
    ROSTER_RETURN_IF_ERROR(reader.ReadRows(i, [&](const sheet::Row&) {
      has_row = true;
      return false;
    }));
    if (has_row) return std::optional<size_t>(i);
  }
  return std::optional<size_t>();
}

Result<size_t> ChooseSheet(sheet::WorkbookReader& reader, const std::string& wanted,
                           const std::string& display_name) {
  const auto& sheets = reader.sheets();
  if (sheets.empty()) return InvalidArgument(display_name + ": the workbook has no sheets");
  if (!wanted.empty()) return FindSheet(sheets, wanted, display_name);
  if (!reader.KnowsSheetVisibility()) {
    // A hidden sheet (an archive of former staff, say) must never be chosen silently, and
    // here hidden and visible look alike: with more than one sheet of data, ask.
    int64_t with_data = 0;
    for (size_t i = 0; i < sheets.size(); ++i) {
      bool has_row = false;
      ROSTER_RETURN_IF_ERROR(reader.ReadRows(i, [&](const sheet::Row&) {
        has_row = true;
        return false;
      }));
      if (has_row) ++with_data;
    }
    if (with_data > 1) {
      return InvalidArgument(display_name + ": this " +
                             std::string(sheet::FileTypeName(reader.type())) +
                             " workbook has several sheets with data, and Roster cannot tell "
                             "which of them are hidden. Name the sheet to read (sheets: " +
                             SheetList(sheets) + "), or save the file as .xlsx.");
    }
  }
  ROSTER_ASSIGN_OR_RETURN(std::optional<size_t> first, FirstSheetWithData(reader));
  if (first) return *first;
  return InvalidArgument(display_name +
                         ": no visible sheet has any data (sheets: " + SheetList(sheets) + ")");
}

}  // namespace roster::import
