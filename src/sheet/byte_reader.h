#pragma once

// ByteReader: a stream of bytes read into the caller's buffer, the input of the streaming XML
// parsers. A zip member being inflated is one; a string handed out in small pieces is another
// (tests and fuzzing use it to put read boundaries everywhere). Used from one thread at a time.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "core/result.h"

namespace roster::sheet {

class ByteReader {
 public:
  virtual ~ByteReader() = default;

  // Reads up to `capacity` (> 0) bytes into `buffer`; returns how many, 0 only at the end of
  // the stream. Fails with the source's own complete message (a zip bomb, a truncated file).
  virtual Result<size_t> Read(char* buffer, size_t capacity) = 0;
};

// Hands out `data` in pieces of at most `piece_size` bytes. `data` must outlive the reader.
class StringByteReader final : public ByteReader {
 public:
  explicit StringByteReader(std::string_view data, size_t piece_size = size_t{1} << 20)
      : data_(data), piece_size_(std::max<size_t>(piece_size, 1)) {}

  Result<size_t> Read(char* buffer, size_t capacity) override {
    const size_t n = std::min({capacity, piece_size_, data_.size()});
    std::memcpy(buffer, data_.data(), n);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
  size_t piece_size_;
};

}  // namespace roster::sheet
