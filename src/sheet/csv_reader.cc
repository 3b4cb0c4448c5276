#include "sheet/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"
#include "sheet/csv_dialect.h"
#include "sheet/text_decoding.h"

namespace roster::sheet {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;
// The start of the file that delimiter sniffing looks at.
constexpr size_t kSniffBytes = size_t{64} << 10;
// A UTF-8 code point takes at most 4 bytes: a cell longer than this many bytes per allowed
// character is too long whatever its text, so a huge cell is refused before it is complete.
constexpr int64_t kMaxUtf8BytesPerChar = 4;

// Owns a file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

Status ReadError(const std::string& display_name, int error) {
  return Internal(display_name + ": cannot read the file: " + std::strerror(error));
}

// Reads until `size` bytes or the end of the file; the count read, 0 at the end.
Result<size_t> ReadChunk(int fd, char* data, size_t size, const std::string& display_name) {
  size_t total = 0;
  while (total < size) {
    const ssize_t n = ::read(fd, data + total, size - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadError(display_name, errno);
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  return total;
}

Result<std::unique_ptr<FileDescriptor>> OpenFile(const std::string& path,
                                                 const std::string& display_name) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return NotFound(display_name + ": the file does not exist");
    return Internal(display_name + ": cannot open the file: " + std::strerror(error));
  }
  return std::make_unique<FileDescriptor>(fd);
}

// The RFC 4180 state machine. Fed UTF-8 text in pieces of any size; fills one reused Row
// per record and hands it to the callback. Per record it allocates nothing once the cells'
// strings have grown to the file's cell sizes.
class CsvParser {
 public:
  CsvParser(char delimiter, const Limits& limits, const std::string& display_name,
            const RowCallback& on_row)
      : delimiter_(delimiter), limits_(limits), display_name_(display_name), on_row_(on_row) {
    special_[static_cast<unsigned char>(delimiter)] = true;
    special_['\n'] = true;
    special_['\r'] = true;
    special_[0] = true;
  }

  // Parses [p, end). Stops early (stopped() is then true) when the callback asks to.
  Status Feed(const char* p, const char* const end) {
    while (p < end) {
      switch (state_) {
        case State::kFieldStart:
          if (*p == '"') {
            state_ = State::kQuoted;
            quote_row_ = record_number_;
            ++p;
            continue;
          }
          state_ = State::kUnquoted;
          [[fallthrough]];
        case State::kUnquoted: {
          const char* start = p;
          while (p < end && !special_[static_cast<unsigned char>(*p)]) ++p;
          if (p != start) ROSTER_RETURN_IF_ERROR(Append(start, p));
          if (p == end) return Status::Ok();
          const char c = *p++;
          if (c == delimiter_) {
            ROSTER_RETURN_IF_ERROR(EndField());
            state_ = State::kFieldStart;
          } else if (c == '\n' || c == '\r') {
            ROSTER_RETURN_IF_ERROR(EndField());
            ROSTER_RETURN_IF_ERROR(EndRecord());
            state_ = c == '\r' ? State::kAfterCr : State::kFieldStart;
            if (stopped_) return Status::Ok();
          } else {
            return NulError();
          }
          continue;
        }
        case State::kQuoted: {
          const auto* quote = static_cast<const char*>(std::memchr(p, '"', end - p));
          const char* stop = quote != nullptr ? quote : end;
          if (std::memchr(p, '\0', stop - p) != nullptr) return NulError();
          if (stop != p) ROSTER_RETURN_IF_ERROR(Append(p, stop));
          p = stop;
          if (p == end) return Status::Ok();
          ++p;
          state_ = State::kQuoteInQuoted;
          continue;
        }
        case State::kQuoteInQuoted:
          if (*p == '"') {  // a doubled quote stands for one
            ROSTER_RETURN_IF_ERROR(Append(p, p + 1));
            ++p;
            state_ = State::kQuoted;
          } else {  // the quoted part ended; anything up to the delimiter is kept as written
            state_ = State::kUnquoted;
          }
          continue;
        case State::kAfterCr:
          if (*p == '\n') ++p;
          state_ = State::kFieldStart;
          continue;
      }
    }
    return Status::Ok();
  }

  // Ends the input: delivers a last record without a line end, or reports an open quote.
  Status Finish() {
    if (stopped_) return Status::Ok();
    switch (state_) {
      case State::kQuoted:
        return InvalidArgument(display_name_ + ": a quote opened in row " +
                               std::to_string(quote_row_) +
                               " is never closed: close or remove it and upload again");
      case State::kAfterCr: return Status::Ok();
      case State::kFieldStart:
        if (field_index_ == 0) return Status::Ok();
        break;
      case State::kUnquoted:
      case State::kQuoteInQuoted: break;
    }
    ROSTER_RETURN_IF_ERROR(EndField());
    return EndRecord();
  }

  bool stopped() const { return stopped_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

  Status Append(const char* begin, const char* end) {
    if (field_index_ >= row_.cells.size()) ROSTER_RETURN_IF_ERROR(AddCells());
    std::string& text = row_.cells[field_index_].text;
    text.append(begin, end);
    if (static_cast<int64_t>(text.size()) > limits_.max_cell_chars * kMaxUtf8BytesPerChar) {
      return CellTooLong();
    }
    return Status::Ok();
  }

  // Makes row_.cells reach the current field, reusing the strings of earlier rows.
  Status AddCells() {
    if (static_cast<int64_t>(field_index_) >= limits_.max_columns) {
      return ResourceExhausted(display_name_ + ": row " + std::to_string(record_number_) +
                               " has more than " + std::to_string(limits_.max_columns) +
                               " columns (the limit)" + std::string(kSplitOrTrim));
    }
    while (row_.cells.size() <= field_index_) {
      if (spare_cells_.empty()) {
        row_.cells.emplace_back();
      } else {
        row_.cells.push_back(std::move(spare_cells_.back()));
        spare_cells_.pop_back();
        row_.cells.back().text.clear();
        row_.cells.back().type = CellType::kEmpty;
      }
    }
    return Status::Ok();
  }

  Status EndField() {
    if (field_index_ < row_.cells.size()) {
      Cell& cell = row_.cells[field_index_];
      if (!cell.text.empty()) {
        if (static_cast<int64_t>(cell.text.size()) > limits_.max_cell_chars &&
            CountUtf8CodePoints(cell.text) > limits_.max_cell_chars) {
          return CellTooLong();
        }
        cell.type = CellType::kText;
        used_cells_ = field_index_ + 1;
      }
    }
    ++field_index_;
    return Status::Ok();
  }

  Status EndRecord() {
    if (used_cells_ > 0) {
      if (record_number_ > limits_.max_rows + 1) {  // the data rows and a header
        return ResourceExhausted(display_name_ + " has more than " + FormatCount(limits_.max_rows) +
                                 " data rows below its header (the limit)" +
                                 std::string(kSplitOrTrim));
      }
      while (row_.cells.size() > used_cells_) {
        spare_cells_.push_back(std::move(row_.cells.back()));
        row_.cells.pop_back();
      }
      row_.number = record_number_;
      if (!on_row_(row_)) stopped_ = true;
      for (Cell& cell : row_.cells) {
        cell.text.clear();
        cell.type = CellType::kEmpty;
      }
    }
    ++record_number_;
    field_index_ = 0;
    used_cells_ = 0;
    return Status::Ok();
  }

  Status CellTooLong() const {
    return ResourceExhausted(display_name_ + ": the cell in row " + std::to_string(record_number_) +
                             ", column " + ColumnName(static_cast<int64_t>(field_index_)) +
                             " is longer than " + std::to_string(limits_.max_cell_chars) +
                             " characters (the limit)" + std::string(kShorten));
  }

  Status NulError() const {
    return InvalidArgument(display_name_ + ": row " + std::to_string(record_number_) +
                           " contains a NUL byte: the file is binary data, not text" +
                           std::string(kSaveAsCsvUtf8));
  }

  const char delimiter_;
  const Limits& limits_;
  const std::string& display_name_;
  const RowCallback& on_row_;
  std::array<bool, 256> special_{};

  State state_ = State::kFieldStart;
  int64_t record_number_ = 1;
  int64_t quote_row_ = 0;
  size_t field_index_ = 0;
  size_t used_cells_ = 0;  // the cells up to the last non-empty one
  bool stopped_ = false;
  Row row_;
  std::vector<Cell> spare_cells_;
};

// "staff.csv" -> "staff".
std::string SheetNameFor(const std::string& display_name) {
  const size_t dot = display_name.rfind('.');
  if (dot == std::string::npos || dot == 0) return display_name;
  return display_name.substr(0, dot);
}

class CsvReader final : public WorkbookReader {
 public:
  CsvReader(std::string path, const Limits& limits, std::string display_name, TextEncoding encoding,
            size_t bom_length, char delimiter)
      : path_(std::move(path)),
        limits_(limits),
        display_name_(std::move(display_name)),
        encoding_(encoding),
        bom_length_(bom_length),
        sheets_{SheetInfo{SheetNameFor(display_name_), true}},
        format_{std::string(TextEncodingName(encoding)), delimiter} {}

  FileType type() const override { return FileType::kCsv; }
  const std::vector<SheetInfo>& sheets() const override { return sheets_; }
  std::optional<TextFormat> text_format() const override { return format_; }

  Status ReadRows(size_t sheet_index, const RowCallback& on_row) override {
    if (sheet_index != 0) {
      return InvalidArgument(display_name_ + ": a CSV file has one sheet, there is no sheet " +
                             std::to_string(sheet_index + 1));
    }
    ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<FileDescriptor> file, OpenFile(path_, display_name_));
    if (bom_length_ > 0 && ::lseek(file->get(), static_cast<off_t>(bom_length_), SEEK_SET) < 0) {
      return ReadError(display_name_, errno);
    }
    const bool pass_through =
        encoding_ == TextEncoding::kUtf8 || encoding_ == TextEncoding::kUtf8Bom;
    auto chunk = std::make_unique_for_overwrite<char[]>(kChunkBytes);
    std::string decoded;
    TextDecoder decoder(encoding_);
    CsvParser parser(format_.delimiter, limits_, display_name_, on_row);
    while (true) {
      ROSTER_ASSIGN_OR_RETURN(const size_t n,
                              ReadChunk(file->get(), chunk.get(), kChunkBytes, display_name_));
      if (n == 0) break;
      if (pass_through) {
        ROSTER_RETURN_IF_ERROR(parser.Feed(chunk.get(), chunk.get() + n));
      } else {
        decoded.clear();
        if (!decoder.Decode(std::string_view(chunk.get(), n), decoded)) {
          return InvalidArgument(
              display_name_ + ": the text is not valid " + format_.encoding +
              " (a broken character at byte " +
              std::to_string(decoder.error_offset() + static_cast<int64_t>(bom_length_)) + ")" +
              std::string(kSaveAsCsvUtf8));
        }
        ROSTER_RETURN_IF_ERROR(parser.Feed(decoded.data(), decoded.data() + decoded.size()));
      }
      if (parser.stopped()) return Status::Ok();
    }
    if (!decoder.Finish()) {
      return InvalidArgument(display_name_ + ": the text is not valid " + format_.encoding +
                             " (it ends in the middle of a character)" +
                             std::string(kSaveAsCsvUtf8));
    }
    return parser.Finish();
  }

 private:
  std::string path_;
  Limits limits_;
  std::string display_name_;
  TextEncoding encoding_;
  size_t bom_length_;
  std::vector<SheetInfo> sheets_;
  TextFormat format_;
};

}  // namespace

Result<std::unique_ptr<WorkbookReader>> OpenCsv(const std::string& path, const Limits& limits,
                                                const std::string& display_name) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<FileDescriptor> file, OpenFile(path, display_name));
  auto chunk = std::make_unique_for_overwrite<char[]>(kChunkBytes);
  ROSTER_ASSIGN_OR_RETURN(const size_t head_size,
                          ReadChunk(file->get(), chunk.get(), kChunkBytes, display_name));
  const std::string_view head(chunk.get(), head_size);
  const bool head_is_whole_file = head_size < kChunkBytes;

  TextEncoding encoding = TextEncoding::kUtf8;
  size_t bom_length = 0;
  if (const std::optional<ByteOrderMark> bom = DetectByteOrderMark(head)) {
    encoding = bom->encoding;
    bom_length = bom->length;
  } else if (const std::optional<TextEncoding> utf16 = DetectUtf16WithoutBom(head)) {
    encoding = *utf16;
  }

  // UTF-8 or not can only be known from every byte: read the whole file once.
  if (encoding == TextEncoding::kUtf8 || encoding == TextEncoding::kUtf8Bom) {
    Utf8Validator validator;
    bool valid = validator.Feed(head.substr(bom_length));
    size_t n = head_size;
    while (valid && n == kChunkBytes) {
      ROSTER_ASSIGN_OR_RETURN(n, ReadChunk(file->get(), chunk.get(), kChunkBytes, display_name));
      valid = validator.Feed(std::string_view(chunk.get(), n));
    }
    valid = valid && validator.Finish();
    if (!valid) {
      if (encoding == TextEncoding::kUtf8Bom) {
        return InvalidArgument(display_name +
                               ": the file starts with a UTF-8 byte order mark but its text is "
                               "not valid UTF-8: save it again as \"CSV UTF-8\"");
      }
      encoding = TextEncoding::kWindows1252;
    }
    if (!head_is_whole_file) {
      // The head was overwritten: read it again for sniffing.
      if (::lseek(file->get(), 0, SEEK_SET) < 0) return ReadError(display_name, errno);
      ROSTER_ASSIGN_OR_RETURN(const size_t again,
                              ReadChunk(file->get(), chunk.get(), kChunkBytes, display_name));
      if (again != head_size) return ReadError(display_name, EIO);
    }
  }

  const size_t sample_bytes = std::min(
      head_size - bom_length,
      encoding == TextEncoding::kUtf16Le || encoding == TextEncoding::kUtf16Be ? 2 * kSniffBytes
                                                                               : kSniffBytes);
  const bool sample_is_complete = head_is_whole_file && bom_length + sample_bytes == head_size;
  std::string sample;
  TextDecoder decoder(encoding);
  // A broken character ends the sample early; ReadRows reports it with its position.
  (void)decoder.Decode(std::string_view(chunk.get() + bom_length, sample_bytes), sample);
  const char delimiter = SniffCsvDelimiter(sample, sample_is_complete);
  return std::unique_ptr<WorkbookReader>(
      std::make_unique<CsvReader>(path, limits, display_name, encoding, bom_length, delimiter));
}

}  // namespace roster::sheet
