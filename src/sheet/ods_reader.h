#pragma once

// The ods reader: OpenDocument spreadsheets (LibreOffice, OpenOffice, Google Sheets, Excel's
// "Save as ods"). Reads content.xml with expat, streaming: one table per sheet, values from
// office:value-type and its value attributes, text from the text:p paragraphs. Repeated rows
// and columns are expanded lazily: an empty repeat costs nothing (LibreOffice ends sheets with
// a row repeated a million times), a non-empty one counts against the limits like the cells it
// stands for. Sheets hidden through their table style (table:display="false") are reported
// hidden. The returned reader follows WorkbookReader's contract.

#include <memory>
#include <string>

#include "core/result.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {

// Opens the ods file at `path`. `display_name` begins every message (the path's file name when
// empty). Fails with kInvalidArgument for a damaged or hostile file (naming the part at fault)
// and kResourceExhausted for a file over the limits.
Result<std::unique_ptr<WorkbookReader>> OpenOds(const std::string& path, const Limits& limits,
                                                const std::string& display_name);

}  // namespace roster::sheet
