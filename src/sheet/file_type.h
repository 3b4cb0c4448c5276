#pragma once

// File-type detection from content, never from the name: an uploaded "staff.xlsx" may be a
// CSV, an .xls renamed, a PDF or an encrypted workbook. Knows the spreadsheet formats Roster
// reads and names the common things that are not spreadsheets, so the refusal can say what
// the file looks like. Stateless, thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sheet/compound_file.h"  // ListCompoundFileEntries, used by the detection
#include "sheet/workbook_reader.h"

namespace roster::sheet {

// Reads the start of `path` (and, for zip and OLE2 files, their directory of members) and
// returns the type to read it as. Fails with kInvalidArgument and a message that starts with
// `display_name` for empty files, password-protected workbooks, damaged containers and files
// that are not spreadsheets ("staff.pdf: this is a PDF document, not a spreadsheet: ...").
Result<FileType> DetectFileType(const std::string& path, const std::string& display_name);

// The message for a password-protected (encrypted) workbook, shared with the xls reader.
std::string PasswordProtectedMessage(const std::string& display_name);

}  // namespace roster::sheet
