#pragma once

// The CSV reader: RFC 4180 records (quoted fields with embedded delimiters, line breaks and
// doubled quotes; CRLF, LF or CR line ends) in UTF-8, UTF-16 or Windows-1252, with the
// delimiter sniffed among ',' ';' tab '|'. Streams the file in 1 MiB chunks: memory does not
// grow with the row count. Every non-empty cell is text: "00123" stays "00123".

#include <memory>
#include <string>

#include "core/result.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {

// Opens the CSV file at `path`: detects the encoding (byte order mark, else valid UTF-8,
// else Windows-1252; reads the whole file once to decide) and the delimiter (from the first
// records). `display_name` is what messages call the file. The reader reports both through
// text_format() and has one sheet, named after `display_name` without its extension.
Result<std::unique_ptr<WorkbookReader>> OpenCsv(const std::string& path, const Limits& limits,
                                                const std::string& display_name);

}  // namespace roster::sheet
