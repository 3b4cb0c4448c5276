#pragma once

// The small binary codings that stored blobs share (a job's upsert plan, the records of its
// rows): unsigned LEB128 varints and length-prefixed byte strings, appended to a std::string;
// and a reader over a view of such bytes that says when they end too soon. Plain functions and
// a value type; no state beyond the view.

#include <cstdint>
#include <string>
#include <string_view>

namespace roster {

inline void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

inline void PutBytes(std::string& out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out.append(bytes);
}

// Reads what PutVarint and PutBytes wrote. After a read past the end (or a varint longer than
// ten bytes), ok() is false and every later read gives 0 or an empty view.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }

  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; ok_ && shift < 70; shift += 7) {
      if (at_ == bytes_.size()) break;
      const auto byte = static_cast<unsigned char>(bytes_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }

  uint8_t Byte() {
    if (!ok_ || at_ == bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<uint8_t>(bytes_[at_++]);
  }

  std::string_view Bytes() {
    const uint64_t size = Varint();
    if (!ok_ || size > bytes_.size() - at_) {
      ok_ = false;
      return {};
    }
    std::string_view view = bytes_.substr(at_, size);
    at_ += size;
    return view;
  }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace roster
