#include "import/row_records.h"

#include "core/byte_codec.h"

namespace roster::import {
namespace {

constexpr uint8_t kCreatesBit = 0x80;

}  // namespace

void RowRecordWriter::Add(int64_t row, std::string_view value, RowStatus status,
                          std::string_view message, bool creates) {
  if (chunks_.empty() || rows_in_chunk_ == kRowsPerChunk) {
    chunks_.push_back({row, {}});
    rows_in_chunk_ = 0;
    previous_row_ = row;
  }
  std::string& data = chunks_.back().data;
  PutVarint(data, static_cast<uint64_t>(row - previous_row_));
  data.push_back(static_cast<char>(static_cast<uint8_t>(status) | (creates ? kCreatesBit : 0)));
  PutBytes(data, value);
  PutBytes(data, message);
  previous_row_ = row;
  ++rows_in_chunk_;
}

std::vector<RowChunk> RowRecordWriter::Finish() {
  rows_in_chunk_ = 0;
  previous_row_ = 0;
  return std::move(chunks_);
}

Status ForEachRowRecord(std::span<const RowChunk> chunks,
                        const std::function<void(const RowRecord&)>& visit) {
  for (const RowChunk& chunk : chunks) {
    ByteReader reader(chunk.data);
    RowRecord record;
    record.row = chunk.first_row;
    while (!reader.done()) {
      record.row += static_cast<int64_t>(reader.Varint());
      const uint8_t status = reader.Byte();
      record.value = reader.Bytes();
      record.message = reader.Bytes();
      const uint8_t code = status & ~kCreatesBit;
      if (!reader.ok() || code > static_cast<uint8_t>(RowStatus::kAlreadyGone)) {
        return Internal("the stored rows of an import job are corrupt (near row " +
                        std::to_string(record.row) + ")");
      }
      record.status = static_cast<RowStatus>(code);
      record.creates = (status & kCreatesBit) != 0;
      visit(record);
    }
  }
  return Status::Ok();
}

Result<RowChunk> ReplaceRecord(const RowChunk& chunk, const RowRecord& record) {
  RowRecordWriter writer;
  bool replaced = false;
  ROSTER_RETURN_IF_ERROR(ForEachRowRecord({&chunk, 1}, [&](const RowRecord& old) {
    const RowRecord& kept = old.row == record.row ? record : old;
    replaced = replaced || old.row == record.row;
    writer.Add(kept.row, kept.value, kept.status, kept.message, kept.creates);
  }));
  if (!replaced) return NotFound("no record of row " + std::to_string(record.row));
  std::vector<RowChunk> chunks = writer.Finish();
  if (chunks.size() != 1) return Internal("a chunk of row records did not stay one chunk");
  return std::move(chunks.front());
}

Result<OwnedRowRecord> FindRecord(const RowChunk& chunk, int64_t row) {
  std::optional<OwnedRowRecord> found;
  ROSTER_RETURN_IF_ERROR(ForEachRowRecord({&chunk, 1}, [&](const RowRecord& record) {
    if (record.row == row) {
      found = OwnedRowRecord{record.row, std::string(record.value), record.status,
                             std::string(record.message), record.creates};
    }
  }));
  if (!found) return NotFound("no record of row " + std::to_string(row));
  return std::move(*found);
}

}  // namespace roster::import
