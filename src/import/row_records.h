#pragma once

// Row records: what became of every data row of a check, kept with the job (as RowChunks, see
// Store::SaveFindings) so that the result report is written from them and not from the file
// again. A record is the row's number, the address as written (after a fix, the fixed value),
// its status and, for an error or a duplicate, the message. A million rows of a staff list
// take some 35 MB: records are encoded in chunks of kRowsPerChunk rows (small, so that a change
// of one row rewrites about 150 KB) as
//   varint(row - previous row) | status byte | bytes(value) | bytes(message)
// (see core/byte_codec.h). Writer and reader are used by one thread at a time.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/import_job.h"
#include "import/analysis.h"

namespace roster::import {

inline constexpr int64_t kRowsPerChunk = 4'096;

class RowRecordWriter {
 public:
  // `creates`: a planned row of an add/update import that creates its user (else it updates).
  void Add(int64_t row, std::string_view value, RowStatus status, std::string_view message,
           bool creates = false);
  // The chunks written so far; the writer is empty after.
  std::vector<RowChunk> Finish();

 private:
  std::vector<RowChunk> chunks_;
  int64_t rows_in_chunk_ = 0;
  int64_t previous_row_ = 0;
};

// A record as read back.
struct RowRecord {
  int64_t row = 0;
  std::string_view value;
  RowStatus status = RowStatus::kPlanned;
  std::string_view message;
  bool creates = false;
};

// `chunk` with the record of `row` replaced by `record` (its row is `row`); kNotFound when the
// chunk has no record of that row, kInternal when it is corrupt.
Result<RowChunk> ReplaceRecord(const RowChunk& chunk, const RowRecord& record);

// The record of `row` in `chunk`, with its strings copied; kNotFound when it has none.
struct OwnedRowRecord {
  int64_t row = 0;
  std::string value;
  RowStatus status = RowStatus::kPlanned;
  std::string message;
  bool creates = false;
};
Result<OwnedRowRecord> FindRecord(const RowChunk& chunk, int64_t row);

// Calls `visit` for each record of `chunks`, in row order (the views live for the call).
// kInternal when a chunk is corrupt.
Status ForEachRowRecord(std::span<const RowChunk> chunks,
                        const std::function<void(const RowRecord&)>& visit);

}  // namespace roster::import
