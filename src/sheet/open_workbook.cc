// OpenWorkbook: the one entry point that turns an uploaded file into a WorkbookReader.

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"
#include "sheet/csv_reader.h"
#include "sheet/file_type.h"
#include "sheet/ods_reader.h"
#include "sheet/workbook_reader.h"
#include "sheet/xls_reader.h"
#include "sheet/xlsx_reader.h"

namespace roster::sheet {
namespace {

constexpr double kBytesPerMebibyte = 1024.0 * 1024.0;

// 1536000 -> "1.5 MB" (binary megabytes, as file managers on Windows show them).
std::string FormatMegabytes(int64_t bytes) {
  if (bytes < int64_t{1} << 20) return std::to_string(bytes) + " bytes";
  char text[32];
  const double megabytes = static_cast<double>(bytes) / kBytesPerMebibyte;
  std::snprintf(text, sizeof text, megabytes < 10 ? "%.1f MB" : "%.0f MB", megabytes);
  return text;
}

}  // namespace

std::string_view FileTypeName(FileType type) {
  switch (type) {
    case FileType::kXlsx: return "xlsx";
    case FileType::kXls: return "xls";
    case FileType::kOds: return "ods";
    case FileType::kCsv: return "csv";
  }
  return "unknown";
}

Result<std::unique_ptr<WorkbookReader>> OpenWorkbook(const std::string& path, const Limits& limits,
                                                     std::string display_name) {
  if (display_name.empty()) display_name = std::filesystem::path(path).filename().string();
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int error = errno;
    if (error == ENOENT) return NotFound(display_name + ": the file does not exist");
    return Internal(display_name + ": cannot open the file: " + std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) return InvalidArgument(display_name + ": this is not a file");
  const auto size = static_cast<int64_t>(info.st_size);
  if (size > limits.max_file_bytes) {
    std::string size_text = FormatMegabytes(size);
    std::string limit_text = FormatMegabytes(limits.max_file_bytes);
    if (size_text == limit_text) {  // "100 MB, larger than the limit of 100 MB" says nothing
      size_text = FormatCount(size) + " bytes";
      limit_text = FormatCount(limits.max_file_bytes) + " bytes (" + limit_text + ")";
    }
    return ResourceExhausted(display_name + " is " + size_text + ", larger than the limit of " +
                             limit_text + ": split the list into smaller files");
  }
  if (size == 0)
    return InvalidArgument(display_name + ": the file is empty" + std::string(kSaveAgain));

  ROSTER_ASSIGN_OR_RETURN(const FileType type, DetectFileType(path, display_name));
  switch (type) {
    case FileType::kXlsx: return OpenXlsx(path, limits, display_name);
    case FileType::kXls: return OpenXls(path, limits, display_name);
    case FileType::kOds: return OpenOds(path, limits, display_name);
    case FileType::kCsv: return OpenCsv(path, limits, display_name);
  }
  return Internal(display_name + ": unknown file type");
}

}  // namespace roster::sheet
