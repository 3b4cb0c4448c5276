#include "import/support/fault_injecting_file_system.h"

#include <algorithm>
#include <utility>

namespace roster::testing {
namespace {

namespace fs = std::filesystem;

class FaultInjectingReader final : public import::FileReader {
 public:
  FaultInjectingReader(FaultInjectingFileSystem& files, std::unique_ptr<import::FileReader> inner,
                       std::string path, std::optional<int64_t> fail_after, Status failure)
      : files_(files),
        inner_(std::move(inner)),
        path_(std::move(path)),
        fail_after_(fail_after),
        failure_(std::move(failure)) {}

  Result<size_t> Read(std::span<uint8_t> buffer) override {
    ROSTER_RETURN_IF_ERROR(files_.Enter("Read", path_));
    if (fail_after_) {
      const int64_t left = *fail_after_ - read_;
      if (left <= 0) {
        files_.Answered("Read", failure_);
        return failure_;
      }
      buffer = buffer.first(std::min(buffer.size(), static_cast<size_t>(left)));
    }
    Result<size_t> read = inner_->Read(buffer);
    if (read.ok()) read_ += static_cast<int64_t>(*read);
    files_.Answered("Read", read.status());
    return read;
  }

 private:
  FaultInjectingFileSystem& files_;
  std::unique_ptr<import::FileReader> inner_;
  std::string path_;
  std::optional<int64_t> fail_after_;
  Status failure_;
  int64_t read_ = 0;
};

class FaultInjectingWriter final : public import::FileWriter {
 public:
  FaultInjectingWriter(FaultInjectingFileSystem& files, std::unique_ptr<import::FileWriter> inner,
                       std::string path, std::optional<int64_t> room, Status failure)
      : files_(files),
        inner_(std::move(inner)),
        path_(std::move(path)),
        room_(room),
        failure_(std::move(failure)) {}

  Status Append(std::string_view data) override {
    ROSTER_RETURN_IF_ERROR(files_.Enter("Append", path_));
    Status appended;
    if (room_ && written_ + static_cast<int64_t>(data.size()) > *room_) {
      // A full disk takes what fits, then refuses the rest.
      (void)inner_->Append(
          data.substr(0, static_cast<size_t>(std::max<int64_t>(*room_ - written_, 0))));
      written_ = *room_;
      full_ = true;
      appended = failure_;
    } else {
      appended = inner_->Append(data);
      if (appended.ok()) written_ += static_cast<int64_t>(data.size());
    }
    files_.Answered("Append", appended);
    return appended;
  }

  Status Close() override {
    ROSTER_RETURN_IF_ERROR(files_.Enter("Close", path_));
    Status closed = inner_->Close();
    if (full_) closed = failure_;
    files_.Answered("Close", closed);
    return closed;
  }

 private:
  FaultInjectingFileSystem& files_;
  std::unique_ptr<import::FileWriter> inner_;
  std::string path_;
  std::optional<int64_t> room_;
  Status failure_;
  int64_t written_ = 0;
  bool full_ = false;
};

}  // namespace

void FaultInjectingFileSystem::Before(std::string method, int nth, std::function<Status()> hook) {
  std::lock_guard lock(mutex_);
  const int seen = CallsLocked(method);
  plans_[std::move(method)] = {seen + nth, false, std::move(hook)};
}

void FaultInjectingFileSystem::FailFrom(std::string method, int nth, Status status) {
  std::lock_guard lock(mutex_);
  const int seen = CallsLocked(method);
  plans_[std::move(method)] = {seen + nth, true, [status] { return status; }};
}

void FaultInjectingFileSystem::FailWhere(std::string method, std::string path_part, Status status) {
  std::lock_guard lock(mutex_);
  path_faults_.push_back({std::move(method), std::move(path_part), std::move(status)});
}

void FaultInjectingFileSystem::FailReadAfter(int nth, int64_t bytes, Status status) {
  std::lock_guard lock(mutex_);
  read_faults_.push_back({CallsLocked("OpenForRead") + nth, bytes, std::move(status)});
}

void FaultInjectingFileSystem::FailWriteAfter(int nth, int64_t bytes, Status status) {
  std::lock_guard lock(mutex_);
  write_faults_.push_back({CallsLocked("OpenForWrite") + nth, bytes, std::move(status)});
}

void FaultInjectingFileSystem::Heal() {
  std::lock_guard lock(mutex_);
  plans_.clear();
  path_faults_.clear();
  read_faults_.clear();
  write_faults_.clear();
  journal_.push_back("-- healed");
}

int FaultInjectingFileSystem::Calls(std::string_view method) const {
  std::lock_guard lock(mutex_);
  return CallsLocked(method);
}

int FaultInjectingFileSystem::CallsLocked(std::string_view method) const {
  auto found = calls_.find(method);
  return found == calls_.end() ? 0 : found->second;
}

std::string FaultInjectingFileSystem::Journal() const {
  std::lock_guard lock(mutex_);
  std::string text;
  for (const std::string& line : journal_) text += line + "\n";
  return text;
}

Status FaultInjectingFileSystem::Enter(std::string_view method, std::string_view paths) {
  std::function<Status()> hook;
  Status path_fault;
  {
    std::lock_guard lock(mutex_);
    journal_.push_back(std::string(method) + " " + std::string(paths));
    auto counted = calls_.find(method);
    if (counted == calls_.end()) counted = calls_.emplace(std::string(method), 0).first;
    const int call = ++counted->second;
    for (const PathFault& fault : path_faults_) {
      if (fault.method == method && paths.find(fault.path_part) != std::string_view::npos) {
        path_fault = fault.status;
        break;
      }
    }
    auto plan = plans_.find(method);
    if (plan != plans_.end() && call >= plan->second.at &&
        (plan->second.repeat || call == plan->second.at)) {
      hook = plan->second.hook;
      if (!plan->second.repeat) plans_.erase(plan);
    }
  }
  // Outside the lock: a hook may wait for another thread, or call this file system.
  Status answer = hook ? hook() : Status::Ok();
  if (answer.ok()) answer = path_fault;
  if (!answer.ok()) Answered(method, answer);
  return answer;
}

void FaultInjectingFileSystem::Answered(std::string_view method, const Status& status) {
  if (status.ok()) return;
  std::lock_guard lock(mutex_);
  journal_.push_back("  " + std::string(method) + " failed: " + status.ToString());
}

std::optional<FaultInjectingFileSystem::StreamFault> FaultInjectingFileSystem::TakeStreamFault(
    std::vector<StreamFault>& faults, int call) {
  std::lock_guard lock(mutex_);
  auto found = std::find_if(faults.begin(), faults.end(),
                            [&](const StreamFault& fault) { return fault.at == call; });
  if (found == faults.end()) return std::nullopt;
  StreamFault fault = *found;
  faults.erase(found);
  return fault;
}

Status FaultInjectingFileSystem::CreateDirectories(const fs::path& path, fs::perms permissions) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateDirectories", path.string()));
  Status made = inner_.CreateDirectories(path, permissions);
  Answered("CreateDirectories", made);
  return made;
}

Status FaultInjectingFileSystem::Rename(const fs::path& from, const fs::path& to) {
  ROSTER_RETURN_IF_ERROR(Enter("Rename", from.string() + " -> " + to.string()));
  Status renamed = inner_.Rename(from, to);
  Answered("Rename", renamed);
  return renamed;
}

Status FaultInjectingFileSystem::Remove(const fs::path& path) {
  ROSTER_RETURN_IF_ERROR(Enter("Remove", path.string()));
  Status removed = inner_.Remove(path);
  Answered("Remove", removed);
  return removed;
}

Result<bool> FaultInjectingFileSystem::Exists(const fs::path& path) {
  ROSTER_RETURN_IF_ERROR(Enter("Exists", path.string()));
  Result<bool> exists = inner_.Exists(path);
  Answered("Exists", exists.status());
  return exists;
}

Result<std::vector<import::DirectoryEntry>> FaultInjectingFileSystem::ListDirectory(
    const fs::path& path) {
  ROSTER_RETURN_IF_ERROR(Enter("ListDirectory", path.string()));
  Result<std::vector<import::DirectoryEntry>> listed = inner_.ListDirectory(path);
  Answered("ListDirectory", listed.status());
  return listed;
}

Result<std::unique_ptr<import::FileReader>> FaultInjectingFileSystem::OpenForRead(
    const fs::path& path) {
  ROSTER_RETURN_IF_ERROR(Enter("OpenForRead", path.string()));
  std::optional<StreamFault> fault = TakeStreamFault(read_faults_, Calls("OpenForRead"));
  Result<std::unique_ptr<import::FileReader>> opened = inner_.OpenForRead(path);
  Answered("OpenForRead", opened.status());
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<import::FileReader>(std::make_unique<FaultInjectingReader>(
      *this, std::move(opened).value(), path.string(),
      fault ? std::optional<int64_t>(fault->bytes) : std::nullopt,
      fault ? fault->status : Status::Ok()));
}

Result<std::unique_ptr<import::FileWriter>> FaultInjectingFileSystem::OpenForWrite(
    const fs::path& path) {
  ROSTER_RETURN_IF_ERROR(Enter("OpenForWrite", path.string()));
  std::optional<StreamFault> fault = TakeStreamFault(write_faults_, Calls("OpenForWrite"));
  Result<std::unique_ptr<import::FileWriter>> opened = inner_.OpenForWrite(path);
  Answered("OpenForWrite", opened.status());
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<import::FileWriter>(std::make_unique<FaultInjectingWriter>(
      *this, std::move(opened).value(), path.string(),
      fault ? std::optional<int64_t>(fault->bytes) : std::nullopt,
      fault ? fault->status : Status::Ok()));
}

}  // namespace roster::testing
