#pragma once

// ReadXlsxSheet: turns the XML of one worksheet (xl/worksheets/sheetN.xml) into Rows, streaming,
// on XmlPullParser: memory stays fixed whatever the row count (one reused Row; nothing is
// allocated from a <dimension> claim). Cell values become text as Roster shows them:
// shared strings (t="s"), inline strings (t="inlineStr"), formula strings (t="str"), booleans,
// errors, ISO dates (t="d"), numbers (dates when their style says so). Cells and rows without
// an `r` attribute follow the previous one. Reading stops at </sheetData>.

#include <string>
#include <string_view>

#include "core/result.h"
#include "sheet/byte_reader.h"
#include "sheet/limits.h"
#include "sheet/shared_strings.h"
#include "sheet/workbook_reader.h"
#include "sheet/xlsx_styles.h"

namespace roster::sheet {

struct XlsxSheetContext {
  std::string display_name;  // the file, as messages call it
  std::string sheet_name;    // for cell names in messages: "Sheet1!B7"
  std::string part_context;  // "staff.xlsx: the sheet 'Sheet1' (xl/worksheets/sheet1.xml)"
  const SharedStrings* shared_strings = nullptr;  // nullptr: the workbook has none
  const XlsxStyles* styles = nullptr;             // nullptr: no date styles
  bool date1904 = false;
  Limits limits;
};

// Streams the rows of the sheet read by `reader` to `on_row`, which may stop early by
// returning false. Errors: kInvalidArgument for malformed or hostile XML and impossible cell
// values (naming the cell: "staff.xlsx: Sheet1!B7 refers to shared string 12, ..."),
// kResourceExhausted for the row, column and cell-length limits.
Status ReadXlsxSheet(ByteReader& reader, const XlsxSheetContext& context,
                     const RowCallback& on_row);

}  // namespace roster::sheet
