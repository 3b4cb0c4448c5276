#pragma once

// The sheet list of an Excel 97-2003 (BIFF8) workbook as its BOUNDSHEET8 records state it:
// name, kind and hidden state of every sheet, read from the workbook globals at the start of
// the Workbook stream. The xls reader uses it for what FreeXL does not report: which sheets
// are hidden. Stateless, thread-safe; bounded by the stream it is given.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace roster::sheet {

struct BoundSheet {
  std::string name;     // UTF-8
  uint8_t kind = 0;     // dt: 0 worksheet (or dialog sheet), 1 macro sheet, 2 chart, 6 VB module
  bool hidden = false;  // hsState hidden or very hidden
};

// BOUNDSHEET8 kind of a worksheet.
constexpr uint8_t kWorksheetKind = 0;

// The BOUNDSHEET8 records of `workbook_stream` (a BIFF8 Workbook stream), in order, from the
// first record (which must be a BIFF8 BOF) to the workbook globals' EOF. Fails with
// kInvalidArgument, naming `display_name`, when the records are cut short or malformed, when
// there is no EOF, or when the workbook is encrypted (FILEPASS).
Result<std::vector<BoundSheet>> ReadBoundSheets(std::string_view workbook_stream,
                                                const std::string& display_name);

}  // namespace roster::sheet
