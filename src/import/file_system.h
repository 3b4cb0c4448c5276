#pragma once

// FileSystem: the file operations of the import layer (the wizard's job files, the digest of
// an upload, the result report), behind an interface so that tests can make any of them fail
// or pause at a chosen call, as LevelDB's Env does (tests/import/support/
// fault_injecting_file_system.h), and so the error branches of the wizard and the job runner
// are exercised on purpose. Only what the layer does to files is here: the sheet readers and
// libxlsxwriter open their paths themselves.
//
// Every operation answers a Status or Result whose message names the file, and never throws.
// Implementations are thread-safe: one serves every thread of a server. A reader or writer
// is used by one thread at a time and must not outlive the FileSystem that opened it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace roster::import {

struct DirectoryEntry {
  std::filesystem::path path;
  std::filesystem::file_time_type modified;
};

// A file opened for reading, from its start.
class FileReader {
 public:
  virtual ~FileReader() = default;
  // Reads up to buffer.size() bytes into `buffer`; 0 at the end of the file.
  virtual Result<size_t> Read(std::span<uint8_t> buffer) = 0;
};

// A file opened for writing, from empty. Appended bytes may wait in a buffer: a disk that is
// full fails an Append or, at the latest, Close. A writer destroyed without Close leaves the
// file as far as it got; the caller removes it.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  virtual Status Append(std::string_view data) = 0;
  // Writes what waits and closes the file; the writer cannot be used after.
  virtual Status Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates the folder `path` and its missing parents, and gives `path` the `permissions`
  // where the process may (a folder of another owner keeps its own).
  virtual Status CreateDirectories(const std::filesystem::path& path,
                                   std::filesystem::perms permissions) = 0;
  // Moves `from` to `to` in one step, replacing a file at `to` (rename(2): within one file
  // system, a reader meets the old file or the new one, never half of either).
  virtual Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // Removes the file; ok when there is none, since what was asked for holds.
  virtual Status Remove(const std::filesystem::path& path) = 0;
  virtual Result<bool> Exists(const std::filesystem::path& path) = 0;
  // The entries of the folder (not its subfolders') with their modification times; an entry
  // that goes while it is listed is left out.
  virtual Result<std::vector<DirectoryEntry>> ListDirectory(const std::filesystem::path& path) = 0;
  virtual Result<std::unique_ptr<FileReader>> OpenForRead(const std::filesystem::path& path) = 0;
  // Creates the file, or empties the one there.
  virtual Result<std::unique_ptr<FileWriter>> OpenForWrite(const std::filesystem::path& path) = 0;
};

// The operating system's files (std::filesystem and stdio). Errors: kNotFound when the file
// or folder is not there, kUnavailable otherwise (a full disk, no permission, an I/O error),
// with the operating system's reason.
class RealFileSystem final : public FileSystem {
 public:
  Status CreateDirectories(const std::filesystem::path& path,
                           std::filesystem::perms permissions) override;
  Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  Status Remove(const std::filesystem::path& path) override;
  Result<bool> Exists(const std::filesystem::path& path) override;
  Result<std::vector<DirectoryEntry>> ListDirectory(const std::filesystem::path& path) override;
  Result<std::unique_ptr<FileReader>> OpenForRead(const std::filesystem::path& path) override;
  Result<std::unique_ptr<FileWriter>> OpenForWrite(const std::filesystem::path& path) override;
};

// The process's RealFileSystem, what every caller that is given none uses. It holds no
// state, so sharing it is free.
RealFileSystem& DefaultFileSystem();

}  // namespace roster::import
