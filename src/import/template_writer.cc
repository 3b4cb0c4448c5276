// The import template: an .xlsx whose headers are exactly the attribute table's template
// headers, so that a file made from it maps itself completely. Each header carries a note
// (what goes in, whether it is required); gender, address type and language get drop-down
// lists.

#include "import/template_writer.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribute.h"
#include "core/import_job.h"
#include "core/text.h"
#include "sheet/xlsx_writer.h"

namespace roster::import {
namespace {

constexpr std::string_view kSheetName = "Users";
// Drop-downs cover every row below the header (Excel's last row is 1,048,576): a column-wide
// validation costs nothing in the file, and no HR list outgrows it.
constexpr int64_t kFirstDataRow = 1;
constexpr int64_t kLastDataRow = 1'048'575;
constexpr double kEmailColumnWidth = 32;
constexpr double kWideColumnWidth = 24;
constexpr double kMinColumnWidth = 14;

// Common ISO 639-1 codes, sorted: the full list (184 codes) does not fit Excel's 255
// characters for a typed-in list, and a list from a cell range is not available (see
// xlsx_writer.h). The drop-down lets other codes through with a warning, and the import
// accepts every ISO 639-1 code.
constexpr auto kCommonLanguages = std::to_array<std::string_view>(
    {"af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el",
     "en", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu",
     "hy", "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "lb", "lo", "lt", "lv",
     "mk", "ml", "mn", "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "pa", "pl",
     "ps", "pt", "ro", "ru", "si", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "te",
     "th", "tl", "tr", "uk", "ur", "uz", "vi", "xh", "yo", "zh", "zu"});

constexpr std::string_view kLanguageListMessage =
    "The list shows common codes; Roster accepts any two-letter ISO 639-1 code.";

// The attributes the template has columns for, in table order.
std::vector<const AttributeSpec*> ColumnsFor(ImportMode mode) {
  std::vector<const AttributeSpec*> columns;
  for (const AttributeSpec& spec : AttributeTable()) {
    if (mode == ImportMode::kDelete && !spec.required_for_delete) continue;
    columns.push_back(&spec);
  }
  return columns;
}

std::string NoteFor(const AttributeSpec& spec, ImportMode mode) {
  std::string note(spec.note);
  if (spec.attribute == Attribute::kLanguage) note += " " + std::string(kLanguageListMessage);
  if (mode == ImportMode::kDelete) {
    return note + "\nRequired: the users with these addresses are deleted.";
  }
  if (spec.attribute == Attribute::kRosterId) return note;  // the note says what empty means
  if (spec.required_for_add_update) {
    return note.starts_with("Required") ? note : note + "\nRequired.";
  }
  return note + "\nOptional: empty keeps an existing user's value (a new user gets the default).";
}

double WidthFor(const AttributeSpec& spec) {
  if (spec.attribute == Attribute::kEmail || spec.attribute == Attribute::kManagerEmail) {
    return kEmailColumnWidth;
  }
  if (spec.attribute == Attribute::kGroups) return kWideColumnWidth;
  return std::max(kMinColumnWidth, static_cast<double>(spec.template_header.size()) + 4);
}

Status AddDropDownFor(sheet::XlsxWriter& writer, size_t sheet, int64_t column,
                      const AttributeSpec& spec) {
  std::vector<std::string> choices;
  sheet::DropDownOptions options;
  if (spec.attribute == Attribute::kLanguage) {
    choices.assign(kCommonLanguages.begin(), kCommonLanguages.end());
    options.allow_other = true;
    options.message = std::string(kLanguageListMessage) + " Keep this value?";
  } else if (!spec.allowed_values.empty()) {
    choices.assign(spec.allowed_values.begin(), spec.allowed_values.end());
    options.message = "Choose one of the list: ";
    for (size_t i = 0; i < choices.size(); ++i) {
      options.message += (i == 0 ? "" : ", ") + choices[i];
    }
    options.message += ".";
  } else {
    return Status::Ok();
  }
  return writer.AddDropDown(sheet, column, kFirstDataRow, kLastDataRow, choices, options);
}

}  // namespace

Status WriteTemplate(ImportMode mode, const std::string& path) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::XlsxWriter> writer,
                          sheet::XlsxWriter::Create(path));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet, writer->AddSheet(std::string(kSheetName)));
  const std::vector<const AttributeSpec*> columns = ColumnsFor(mode);
  std::vector<std::string> headers;
  headers.reserve(columns.size());
  for (const AttributeSpec* spec : columns) headers.emplace_back(spec->template_header);
  ROSTER_RETURN_IF_ERROR(writer->WriteHeader(sheet, headers));
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto column = static_cast<int64_t>(i);
    const AttributeSpec& spec = *columns[i];
    ROSTER_RETURN_IF_ERROR(writer->AddNote(sheet, 0, column, NoteFor(spec, mode)));
    ROSTER_RETURN_IF_ERROR(writer->SetColumnWidth(sheet, column, column, WidthFor(spec)));
    ROSTER_RETURN_IF_ERROR(AddDropDownFor(*writer, sheet, column, spec));
  }
  return writer->Close();
}

}  // namespace roster::import
