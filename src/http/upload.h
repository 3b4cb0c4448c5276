#pragma once

// Receiving an uploaded spreadsheet: a multipart/form-data body streamed to a file in the
// data folder as it arrives, never held in memory, and cut off at the upload limit.

#include <httplib.h>

#include <filesystem>
#include <map>
#include <string>

#include "core/random.h"
#include "http/api_error.h"
#include "import/wizard.h"

namespace roster::http {

struct Upload {
  std::filesystem::path path;                 // the received file (the caller moves or removes it)
  std::string file_name;                      // as the browser named it
  std::map<std::string, std::string> fields;  // the other (small) form fields
};

// Reads the body into a new incoming file. Fails (and leaves no file) when the body is not
// multipart, has no part named `file`, or the file exceeds `max_bytes` (413).
Result<Upload> ReceiveUpload(const httplib::Request& request, const httplib::ContentReader& reader,
                             const import::JobFiles& files, RandomSource& random,
                             int64_t max_bytes);

// Removes a file of the data folder when it goes out of scope (an upload that was not moved
// into place, a download once it was sent); a file moved away meanwhile is left alone.
class RemovedAtScopeEnd {
 public:
  explicit RemovedAtScopeEnd(std::filesystem::path path) : path_(std::move(path)) {}
  ~RemovedAtScopeEnd();
  RemovedAtScopeEnd(const RemovedAtScopeEnd&) = delete;
  RemovedAtScopeEnd& operator=(const RemovedAtScopeEnd&) = delete;

 private:
  std::filesystem::path path_;
};

}  // namespace roster::http
