#include "http/upload.h"

#include <fstream>

namespace roster::http {
namespace {

constexpr size_t kMaxFieldBytes = 1024;

std::string Mebibytes(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

RemovedAtScopeEnd::~RemovedAtScopeEnd() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

Result<Upload> ReceiveUpload(const httplib::Request& request, const httplib::ContentReader& reader,
                             const import::JobFiles& files, RandomSource& random,
                             int64_t max_bytes) {
  if (!request.is_multipart_form_data()) {
    return InvalidArgument("send the spreadsheet as multipart/form-data, in the field 'file'");
  }
  Upload upload;
  upload.path = files.NewIncomingPath(random);
  std::ofstream out;
  std::string part;
  bool has_file = false;
  int64_t bytes = 0;
  Status failure;
  bool received = reader(
      [&](const httplib::MultipartFormData& form) {
        part = form.name;
        if (part == "file") {
          if (has_file) {
            failure = InvalidArgument("send one file per upload");
            return false;
          }
          has_file = true;
          upload.file_name = form.filename.empty() ? "upload" : form.filename;
          out.open(upload.path, std::ios::binary | std::ios::trunc);
          if (!out) {
            failure = Unavailable("the upload cannot be stored in the data folder");
            return false;
          }
        }
        return true;
      },
      [&](const char* data, size_t size) {
        if (part != "file") {
          std::string& field = upload.fields[part];
          if (field.size() + size > kMaxFieldBytes) {
            failure = InvalidArgument("the form field '" + part + "' is too long");
            return false;
          }
          field.append(data, size);
          return true;
        }
        bytes += static_cast<int64_t>(size);
        if (bytes > max_bytes) {
          failure = ResourceExhausted(upload.file_name + " is larger than the upload limit of " +
                                      Mebibytes(max_bytes) +
                                      "; split it into smaller files or remove unneeded columns");
          return false;
        }
        out.write(data, static_cast<std::streamsize>(size));
        return static_cast<bool>(out);
      });
  out.close();
  if (!received || !failure.ok() || !has_file || !out) {
    std::error_code ignored;
    std::filesystem::remove(upload.path, ignored);
    if (!failure.ok()) return failure;
    if (!has_file) return InvalidArgument("the upload has no file (expected the field 'file')");
    return InvalidArgument("the upload was cut off before its end; try again");
  }
  return upload;
}

}  // namespace roster::http
