#pragma once

// Text decoding for CSV files: which encoding a file is in (byte order mark, else valid
// UTF-8, else Windows-1252) and chunk-by-chunk conversion to UTF-8, so that a file of any
// size is decoded with a fixed-size buffer. Pure functions and small value types; a
// TextDecoder carries the state between chunks and is used from one thread at a time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster::sheet {

enum class TextEncoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kWindows1252 };

// The name shown to people, as in TextFormat::encoding: "UTF-8", "UTF-8 with BOM",
// "UTF-16LE", "UTF-16BE", "Windows-1252".
std::string_view TextEncodingName(TextEncoding encoding);

// The encoding announced by a byte order mark at the start of `head`, and the mark's length.
struct ByteOrderMark {
  TextEncoding encoding;
  size_t length;
};
std::optional<ByteOrderMark> DetectByteOrderMark(std::string_view head);

// UTF-16 without a byte order mark, recognized by the zero high bytes of ASCII text in the
// first bytes of `head` (at least 90 % of the first 256 code units); nullopt otherwise.
std::optional<TextEncoding> DetectUtf16WithoutBom(std::string_view head);

// Incremental UTF-8 validation over consecutive chunks. A sequence cut by the end of one
// chunk is completed by the next; Finish() reports one left open at the end.
class Utf8Validator {
 public:
  // False when `chunk` (following the earlier chunks) is not valid UTF-8.
  bool Feed(std::string_view chunk);
  bool Finish() const { return pending_ == 0; }

 private:
  // Continuation bytes still expected, and the bounds of the next one (for overlong forms,
  // surrogates and code points beyond U+10FFFF).
  int pending_ = 0;
  unsigned char next_low_ = 0x80;
  unsigned char next_high_ = 0xBF;
};

// Converts chunks of text in `encoding` to UTF-8 (UTF-8 input is copied as is). Bytes
// Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD. A UTF-16
// code unit or surrogate pair cut by the end of a chunk is completed by the next.
class TextDecoder {
 public:
  explicit TextDecoder(TextEncoding encoding) : encoding_(encoding) {}

  // Appends the UTF-8 form of `chunk` to `out`. Fails (returns false) on an unpaired UTF-16
  // surrogate; `error_offset()` is then the byte offset in the input where it was found.
  bool Decode(std::string_view chunk, std::string& out);

  // False when the input ended inside a UTF-16 code unit or surrogate pair.
  bool Finish() const { return !has_odd_byte_ && high_surrogate_ == 0; }

  int64_t error_offset() const { return error_offset_; }

 private:
  bool DecodeUtf16(std::string_view chunk, std::string& out, bool big_endian);

  TextEncoding encoding_;
  int64_t consumed_ = 0;
  int64_t error_offset_ = -1;
  bool has_odd_byte_ = false;
  unsigned char odd_byte_ = 0;
  uint16_t high_surrogate_ = 0;
};

// Appends the UTF-8 encoding of `code_point` to `out`.
void AppendUtf8(char32_t code_point, std::string& out);

// The number of code points in valid UTF-8 `text`.
int64_t CountUtf8CodePoints(std::string_view text);

}  // namespace roster::sheet
