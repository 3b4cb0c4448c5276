#include "import/file_system.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

namespace roster::import {
namespace {

namespace fs = std::filesystem;

Status ErrorOf(const std::string& what, const std::error_code& error) {
  std::string message = what + ": " + error.message();
  if (error == std::errc::no_such_file_or_directory) return NotFound(std::move(message));
  return Unavailable(std::move(message));
}

Status ErrnoOf(const std::string& what, int error) {
  return ErrorOf(what, std::error_code(error, std::generic_category()));
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

class RealFileReader final : public FileReader {
 public:
  RealFileReader(File file, fs::path path) : file_(std::move(file)), path_(std::move(path)) {}

  Result<size_t> Read(std::span<uint8_t> buffer) override {
    const size_t read = std::fread(buffer.data(), 1, buffer.size(), file_.get());
    if (read < buffer.size() && std::ferror(file_.get())) {
      return ErrnoOf("cannot read " + path_.string(), errno);
    }
    return read;
  }

 private:
  File file_;
  fs::path path_;
};

class RealFileWriter final : public FileWriter {
 public:
  RealFileWriter(File file, fs::path path) : file_(std::move(file)), path_(std::move(path)) {}

  Status Append(std::string_view data) override {
    if (!file_) return FailedPrecondition(path_.string() + " is closed");
    if (std::fwrite(data.data(), 1, data.size(), file_.get()) != data.size()) {
      return ErrnoOf("cannot write " + path_.string(), errno);
    }
    return Status::Ok();
  }

  Status Close() override {
    if (!file_) return FailedPrecondition(path_.string() + " is closed");
    // fclose flushes: a full disk shows here when the last bytes waited in the buffer.
    const bool flushed = std::fflush(file_.get()) == 0;
    const int flush_error = errno;
    const bool closed = std::fclose(file_.release()) == 0;
    const int close_error = errno;
    if (!flushed) return ErrnoOf("cannot write " + path_.string(), flush_error);
    if (!closed) return ErrnoOf("cannot write " + path_.string(), close_error);
    return Status::Ok();
  }

 private:
  File file_;
  fs::path path_;
};

}  // namespace

Status RealFileSystem::CreateDirectories(const fs::path& path, fs::perms permissions) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) return ErrorOf("cannot create the folder " + path.string(), error);
  fs::permissions(path, permissions, error);  // kept as it is where the process may not
  return Status::Ok();
}

Status RealFileSystem::Rename(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (error) return ErrorOf("cannot rename " + from.string() + " to " + to.string(), error);
  return Status::Ok();
}

Status RealFileSystem::Remove(const fs::path& path) {
  std::error_code error;
  fs::remove(path, error);
  if (error) return ErrorOf("cannot remove " + path.string(), error);
  return Status::Ok();
}

Result<bool> RealFileSystem::Exists(const fs::path& path) {
  std::error_code error;
  const bool exists = fs::exists(path, error);
  if (error) return ErrorOf("cannot look for " + path.string(), error);
  return exists;
}

Result<std::vector<DirectoryEntry>> RealFileSystem::ListDirectory(const fs::path& path) {
  std::error_code error;
  fs::directory_iterator entries(path, error);
  if (error) return ErrorOf("cannot list the folder " + path.string(), error);
  std::vector<DirectoryEntry> listed;
  for (; entries != fs::directory_iterator(); entries.increment(error)) {
    if (error) return ErrorOf("cannot list the folder " + path.string(), error);
    std::error_code gone;
    fs::file_time_type modified = entries->last_write_time(gone);
    if (!gone) listed.push_back({entries->path(), modified});
  }
  if (error) return ErrorOf("cannot list the folder " + path.string(), error);
  return listed;
}

Result<std::unique_ptr<FileReader>> RealFileSystem::OpenForRead(const fs::path& path) {
  File file(std::fopen(path.c_str(), "rbe"));
  if (!file) return ErrnoOf("cannot open " + path.string(), errno);
  return std::unique_ptr<FileReader>(std::make_unique<RealFileReader>(std::move(file), path));
}

Result<std::unique_ptr<FileWriter>> RealFileSystem::OpenForWrite(const fs::path& path) {
  File file(std::fopen(path.c_str(), "wbe"));
  if (!file) return ErrnoOf("cannot create " + path.string(), errno);
  return std::unique_ptr<FileWriter>(std::make_unique<RealFileWriter>(std::move(file), path));
}

RealFileSystem& DefaultFileSystem() {
  static RealFileSystem file_system;
  return file_system;
}

}  // namespace roster::import
