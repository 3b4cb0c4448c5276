#pragma once

// FaultInjectingFileSystem: a FileSystem that forwards every call to another one, and before a
// chosen call of a chosen operation runs a hook of the test's, as LevelDB's fault-injecting
// Env does and as FaultInjectingStore (tests/store/support) does for the store. The hook may
// pause (wait for another thread, or do another step of the wizard meanwhile) or fail the
// call with the Status it returns ("No space left on device") instead of forwarding it. A
// reader can be made to fail after a number of bytes, a writer to run out of room, so that a
// digest broken off in the middle or a report cut short by a full disk is tested on purpose.
//
// The operations counted are the FileSystem's ("Rename", "Remove", "OpenForRead", ...) and
// those of the readers and writers it opens ("Read", "Append", "Close"). Every call is also
// written to a journal ("Rename /a -> /b", "Remove /c: unavailable: ..."), for what a test
// prints when it fails.
//
// Thread-safe; hooks run on the calling thread, outside the lock. `inner` must outlive it,
// and it must outlive the readers and writers it opens.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/file_system.h"

namespace roster::testing {

class FaultInjectingFileSystem final : public import::FileSystem {
 public:
  explicit FaultInjectingFileSystem(import::FileSystem& inner) : inner_(inner) {}

  // Before the `nth` call (1-based, counted from now) of `method` ("Rename"), runs `hook`; an
  // error it returns is that call's answer (nothing is forwarded). One hook per method; it
  // runs once.
  void Before(std::string method, int nth, std::function<Status()> hook);
  // Every call of `method` from the `nth` on fails with `status`.
  void FailFrom(std::string method, int nth, Status status);
  // Every call of `method` naming a path that contains `path_part` fails with `status` (for
  // one file among several: "reports/job-3.xlsx").
  void FailWhere(std::string method, std::string path_part, Status status);
  // The `nth` OpenForRead from now opens a reader that reads the first `bytes` of the file,
  // then fails every Read with `status`.
  void FailReadAfter(int nth, int64_t bytes, Status status);
  // The `nth` OpenForWrite from now opens a writer that takes `bytes` bytes, then fails
  // every Append (and its Close) with `status`: a disk that fills up.
  void FailWriteAfter(int nth, int64_t bytes, Status status);
  // Forgets every fault planned: the disk is well again.
  void Heal();

  // How many times `method` was called.
  int Calls(std::string_view method) const;
  // Every call so far, one a line.
  std::string Journal() const;

  Status CreateDirectories(const std::filesystem::path& path,
                           std::filesystem::perms permissions) override;
  Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  Status Remove(const std::filesystem::path& path) override;
  Result<bool> Exists(const std::filesystem::path& path) override;
  Result<std::vector<import::DirectoryEntry>> ListDirectory(
      const std::filesystem::path& path) override;
  Result<std::unique_ptr<import::FileReader>> OpenForRead(
      const std::filesystem::path& path) override;
  Result<std::unique_ptr<import::FileWriter>> OpenForWrite(
      const std::filesystem::path& path) override;

  // Counts the call of `method` on `paths`, runs what is planned for it and writes it to the
  // journal; the readers and writers call it too.
  Status Enter(std::string_view method, std::string_view paths);
  // Records the answer of a call that was forwarded, when it failed.
  void Answered(std::string_view method, const Status& status);

 private:
  struct Plan {
    int at = 0;  // the call the plan is for, counted over all calls of the method
    bool repeat = false;
    std::function<Status()> hook;
  };
  struct PathFault {
    std::string method;
    std::string path_part;
    Status status;
  };
  struct StreamFault {
    int at = 0;  // the open it is for, counted over all opens of its kind
    int64_t bytes = 0;
    Status status;
  };
  // The fault planned for the open counted as `call`, if any (and forgets it).
  std::optional<StreamFault> TakeStreamFault(std::vector<StreamFault>& faults, int call);
  int CallsLocked(std::string_view method) const;

  roster::import::FileSystem& inner_;
  mutable std::mutex mutex_;
  std::map<std::string, int, std::less<>> calls_;
  std::map<std::string, Plan, std::less<>> plans_;
  std::vector<PathFault> path_faults_;
  std::vector<StreamFault> read_faults_;
  std::vector<StreamFault> write_faults_;
  std::vector<std::string> journal_;
};

}  // namespace roster::testing
