#include "sheet/zip_archive.h"

#include <libdeflate.h>
#include <sys/stat.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"

namespace roster::sheet {
namespace {

constexpr size_t kCompressedBufferBytes = size_t{256} << 10;

std::string MemberName(std::string_view name) {
  // OPC part names are absolute ("/xl/workbook.xml"); zip member names are not.
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return std::string(name);
}

// Inflates one member while counting what comes out (see ZipArchive's contract).
class ZipMemberReader final : public ByteReader {
 public:
  ZipMemberReader(zip_file_t* file, const zip_stat_t& stat, const Limits& limits,
                  std::string context)
      : file_(file),
        method_(stat.comp_method),
        compressed_size_(static_cast<int64_t>(stat.comp_size)),
        declared_size_(static_cast<int64_t>(stat.size)),
        declared_crc_(stat.crc),
        limits_(limits),
        context_(std::move(context)),
        input_(kCompressedBufferBytes) {
    std::memset(&stream_, 0, sizeof stream_);
  }

  ~ZipMemberReader() override {
    if (inflating_) inflateEnd(&stream_);
    zip_fclose(file_);
  }

  Status Init() {
    if (method_ == ZIP_CM_DEFLATE) {
      if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) {
        return Internal(context_ + ": cannot start zlib");
      }
      inflating_ = true;
    }
    return Status::Ok();
  }

  Result<size_t> Read(char* buffer, size_t capacity) override {
    if (finished_ || capacity == 0) return size_t{0};
    size_t produced = 0;
    if (method_ == ZIP_CM_STORE) {
      const zip_int64_t n = zip_fread(file_, buffer, capacity);
      if (n < 0) return ReadError();
      produced = static_cast<size_t>(n);
      if (n == 0) finished_ = true;
    } else {
      stream_.next_out = reinterpret_cast<Bytef*>(buffer);
      stream_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 1u << 30));
      while (stream_.avail_out > 0 && !finished_) {
        if (stream_.avail_in == 0 && !input_done_) {
          const zip_int64_t n = zip_fread(file_, input_.data(), input_.size());
          if (n < 0) return ReadError();
          input_done_ = n == 0;
          stream_.next_in = input_.data();
          stream_.avail_in = static_cast<uInt>(n);
        }
        const int rc = inflate(&stream_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          finished_ = true;
        } else if (rc == Z_BUF_ERROR && input_done_ && stream_.avail_in == 0) {
          return InvalidArgument(context_ + " is truncated (its compressed data ends early)" +
                                 std::string(kSaveAgain));
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          return InvalidArgument(context_ + " is corrupt (invalid compressed data)" +
                                 std::string(kSaveAgain));
        }
        // Checked while inflating, not after: a bomb stops within one buffer.
        ROSTER_RETURN_IF_ERROR(
            CheckLimits(total_ + static_cast<int64_t>(capacity - stream_.avail_out)));
      }
      produced = capacity - stream_.avail_out;
    }
    if (produced > 0) crc_ = libdeflate_crc32(crc_, buffer, produced);
    total_ += static_cast<int64_t>(produced);
    ROSTER_RETURN_IF_ERROR(CheckLimits(total_));
    if (finished_) ROSTER_RETURN_IF_ERROR(CheckEnd());
    return produced;
  }

 private:
  Status CheckLimits(int64_t inflated) const {
    if (inflated > limits_.max_inflated_bytes) {
      return ResourceExhausted(
          context_ + " inflates to more than " + FormatCount(limits_.max_inflated_bytes) +
          " bytes; the file is refused as a possible zip bomb" + std::string(kSaveAgain));
    }
    if (inflated > ZipArchive::kRatioFloorBytes &&
        inflated / std::max<int64_t>(compressed_size_, 1) > limits_.max_inflate_ratio) {
      return ResourceExhausted(context_ + " inflates more than " +
                               FormatCount(limits_.max_inflate_ratio) +
                               " times its compressed size; the file is refused as a possible "
                               "zip bomb" +
                               std::string(kSaveAgain));
    }
    return Status::Ok();
  }

  Status CheckEnd() const {
    if (total_ != declared_size_) {
      return InvalidArgument(context_ + " is corrupt (it inflates to " + FormatCount(total_) +
                             " bytes, but the zip declares " + FormatCount(declared_size_) + ")" +
                             std::string(kSaveAgain));
    }
    if (crc_ != declared_crc_) {
      return InvalidArgument(context_ + " is corrupt (its CRC does not match)" +
                             std::string(kSaveAgain));
    }
    return Status::Ok();
  }

  Status ReadError() {
    zip_error_t* error = zip_file_get_error(file_);
    return InvalidArgument(context_ + " cannot be read (" + zip_error_strerror(error) +
                           "); the file is probably truncated");
  }

  zip_file_t* file_;
  int32_t method_;
  int64_t compressed_size_;
  int64_t declared_size_;
  uint32_t declared_crc_;
  Limits limits_;
  std::string context_;
  std::vector<Bytef> input_;
  z_stream stream_;
  bool inflating_ = false;
  bool input_done_ = false;
  bool finished_ = false;
  int64_t total_ = 0;
  uint32_t crc_ = 0;
};

}  // namespace

ZipArchive::ZipArchive(zip* archive, const Limits& limits, std::string display_name)
    : archive_(archive), limits_(limits), display_name_(std::move(display_name)) {}

ZipArchive::~ZipArchive() { zip_discard(archive_); }

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(const std::string& path, const Limits& limits,
                                                     std::string display_name) {
  struct stat file_stat;
  if (stat(path.c_str(), &file_stat) != 0) {
    return NotFound(display_name + ": cannot open the file (" + std::strerror(errno) + ")");
  }
  if (file_stat.st_size > limits.max_file_bytes) {
    return ResourceExhausted(display_name + " has " + FormatCount(file_stat.st_size) +
                             " bytes; a file may have at most " +
                             FormatCount(limits.max_file_bytes));
  }
  int error_code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error_code);
  if (archive == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, error_code);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (error_code == ZIP_ER_OPEN || error_code == ZIP_ER_READ) {
      return InvalidArgument(display_name + ": cannot read the file (" + reason + ")");
    }
    return InvalidArgument(display_name +
                           " is not a readable zip archive; it is probably truncated or "
                           "damaged (" +
                           reason + ")");
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(archive, limits, std::move(display_name)));
}

bool ZipArchive::Contains(std::string_view name) const {
  return zip_name_locate(archive_, MemberName(name).c_str(), ZIP_FL_NOCASE) >= 0;
}

Result<std::unique_ptr<ByteReader>> ZipArchive::OpenMember(std::string_view name) {
  const std::string member = MemberName(name);
  const std::string context = display_name_ + ": " + member;
  const zip_int64_t index = zip_name_locate(archive_, member.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return InvalidArgument(context + " is missing from the file");
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
    return InvalidArgument(context + " cannot be read (" + zip_strerror(archive_) + ")");
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return InvalidArgument(context +
                           " is encrypted; the file is password-protected: remove the password in "
                           "Excel and upload it again");
  }
  if (stat.comp_method != ZIP_CM_STORE && stat.comp_method != ZIP_CM_DEFLATE) {
    return InvalidArgument(context + " uses compression method " +
                           std::to_string(stat.comp_method) +
                           ", which spreadsheet files do not use" + std::string(kSaveAgain));
  }
  // A declared size can lie downwards, never usefully upwards: refusing early is safe.
  if (static_cast<int64_t>(stat.size) > limits_.max_inflated_bytes) {
    return ResourceExhausted(
        context + " inflates to more than " + FormatCount(limits_.max_inflated_bytes) +
        " bytes; the file is refused as a possible zip bomb" + std::string(kSaveAgain));
  }
  zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index),
                                     stat.comp_method == ZIP_CM_STORE ? 0 : ZIP_FL_COMPRESSED);
  if (file == nullptr) {
    return InvalidArgument(context + " cannot be read (" + zip_strerror(archive_) +
                           "); the file is probably truncated or damaged");
  }
  auto reader = std::make_unique<ZipMemberReader>(file, stat, limits_, context);
  ROSTER_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<ByteReader>(std::move(reader));
}

Result<std::string> ZipArchive::ReadMember(std::string_view name, int64_t max_bytes) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, OpenMember(name));
  std::string content;
  constexpr size_t kStep = size_t{64} << 10;
  while (true) {
    const size_t old_size = content.size();
    content.resize(old_size + kStep);
    ROSTER_ASSIGN_OR_RETURN(size_t n, reader->Read(content.data() + old_size, kStep));
    content.resize(old_size + n);
    if (n == 0) break;
    if (static_cast<int64_t>(content.size()) > max_bytes) {
      return ResourceExhausted(display_name_ + ": " + MemberName(name) + " has more than " +
                               FormatCount(max_bytes) + " bytes");
    }
  }
  return content;
}

}  // namespace roster::sheet
