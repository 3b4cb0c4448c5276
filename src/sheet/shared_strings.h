#pragma once

// SharedStrings: the shared-strings table of an xlsx workbook (xl/sharedStrings.xml), the one
// structure that grows with the file (bounded by Limits::max_shared_strings_bytes). Rich-text
// runs are joined, phonetic runs (<rPh>) ignored, _xHHHH_ escapes decoded. The strings live in
// a few large blocks rather than one allocation each. Loaded once, then read-only: Get may be
// called from several threads.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "sheet/byte_reader.h"
#include "sheet/limits.h"

namespace roster::sheet {

class SharedStrings {
 public:
  // Parses the part streamed by `reader`. `context` begins every message ("staff.xlsx: the
  // shared strings (xl/sharedStrings.xml)"). Errors: kInvalidArgument for malformed XML or
  // invalid UTF-8, kResourceExhausted when the table passes max_shared_strings_bytes.
  Status Load(ByteReader& reader, const std::string& context, const Limits& limits);

  size_t size() const { return strings_.size(); }

  // String `index` (< size()). An over-long string (see OverlongChars) reads empty.
  std::string_view Get(size_t index) const { return strings_[index]; }

  // The character count of string `index` when it has more than limits.max_cell_chars
  // characters (such strings are not kept), else 0.
  int64_t OverlongChars(size_t index) const;

  // Adds one string (Load's building block; tests use it directly).
  Status Add(std::string_view text);

 private:
  std::string_view Store(std::string_view text);

  Limits limits_;
  std::string context_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  int64_t bytes_ = 0;
  std::vector<std::string_view> strings_;
  std::unordered_map<size_t, int64_t> overlong_;
};

}  // namespace roster::sheet
