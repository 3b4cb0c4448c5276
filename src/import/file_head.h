#pragma once

// FileHead: what the wizard shows of an uploaded file, read once when the file arrives (or
// when the admin picks another sheet or header row) and stored with the job, so that views
// and polls read the job, not the file: the file's type and sheets, the first rows of the
// job's sheet as displayed, and the cells of its header row. A plain value; serialized into
// ImportJob::head. Its rows hold personal data: the store forgets it once the job is over.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

// One row of a sheet as the preview shows it.
struct PreviewRow {
  int64_t number = 0;
  std::vector<std::string> cells;
};

// The first rows the preview shows.
inline constexpr int64_t kPreviewRows = 20;
// A previewed cell is cut to this many bytes (at a character boundary): a preview shows what
// a column holds, not all of a long cell.
inline constexpr size_t kPreviewCellBytes = 200;
// The most a head may take stored: a header row of 16,384 long headers is refused with a
// message rather than stored with every view of the job.
inline constexpr size_t kMaxHeadBytes = 4 << 20;

struct FileHead {
  sheet::FileType type = sheet::FileType::kXlsx;
  std::vector<sheet::SheetInfo> sheets;
  std::vector<PreviewRow> preview;   // the first kPreviewRows rows of the job's sheet
  std::vector<std::string> headers;  // the header row's cells, trimmed, as written
  // What a check's progress is measured against: the data rows the last check of this sheet
  // and header row counted, or before one, a text file's lines below the header (an
  // estimate: a quoted cell may hold a line break); 0 when not known.
  int64_t expected_rows = 0;
  int64_t file_lines = 0;  // a text file's lines ('\n' bytes); 0 for a workbook

  std::string ToJson() const;
  // kInternal on text that is not what ToJson writes.
  static Result<FileHead> FromJson(std::string_view json);
};

// Reads the head of sheet `sheet_index`: its first rows and the cells of row `header_row`;
// `file_lines` as FileHead has it. kResourceExhausted naming `display_name` when it would take
// more than kMaxHeadBytes.
Result<FileHead> ReadFileHead(sheet::WorkbookReader& reader, size_t sheet_index, int64_t header_row,
                              int64_t file_lines, const std::string& display_name);

// The first `count` rows of sheet `sheet_index`, cut as the preview cuts them.
Result<std::vector<PreviewRow>> ReadPreview(sheet::WorkbookReader& reader, size_t sheet_index,
                                            int64_t count);

}  // namespace roster::import
