#pragma once

// XlsxWorkbook: the map of an xlsx package that a reader needs before it reads any cell: the
// worksheets in workbook order with their visibility and part names (resolved through the
// relationships, whatever the parts are called), the date system, and where the shared
// strings and styles are. Read with expat from the package's small parts.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sheet/zip_archive.h"

namespace roster::sheet {

struct XlsxSheetEntry {
  std::string name;
  bool visible = true;
  std::string part;  // zip member name, e.g. "xl/worksheets/sheet1.xml"
};

struct XlsxWorkbook {
  std::string workbook_part;  // usually "xl/workbook.xml"
  std::vector<XlsxSheetEntry> sheets;
  bool date1904 = false;
  std::string shared_strings_part;  // empty when the workbook has none
  std::string styles_part;          // empty when the workbook has none
};

// At most this many sheets or relationships are read from a workbook.
inline constexpr size_t kMaxWorkbookEntries = 100'000;

// Reads the package map. Fails with kInvalidArgument naming the file and the part when the
// workbook part is missing or broken, a sheet's part is missing, or there is no worksheet.
Result<XlsxWorkbook> ReadXlsxWorkbook(ZipArchive& zip);

// Resolves a relationship target against the part that holds the relationship: ("xl/
// workbook.xml", "worksheets/sheet1.xml") -> "xl/worksheets/sheet1.xml"; an absolute target
// ("/xl/worksheets/sheet1.xml") is taken from the package root; "." and ".." segments and
// %XX escapes are resolved. Returns "" for a target that leaves the package.
std::string ResolvePartName(std::string_view source_part, std::string_view target);

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" (the package) -> "_rels/.rels".
std::string RelationshipsPartName(std::string_view source_part);

}  // namespace roster::sheet
