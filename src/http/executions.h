#pragma once

// Executions: the work that runs in the background of `roster serve`: imports that execute
// (runs) and checks of uploaded files. Each runs on a thread of its own and reports its
// progress here, where the console's polls read it while the work runs. Stop() waits for all
// of it: a run is one transaction, so finishing is quicker and safer than abandoning it (an
// abandoned one would read interrupted anyway), and a check ends soon once told to stop.
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace roster::http {

struct ExecutionProgress {
  int64_t done = 0;
  int64_t total = 0;
};

enum class WorkKind { kRun, kCheck };

class Executions {
 public:
  ~Executions() { Stop(); }

  // Runs `run` on a new thread; `run` reports progress through the callback it is given.
  void Start(int64_t job_id, WorkKind kind,
             std::function<void(const std::function<void(int64_t, int64_t)>& progress)> run);
  // The progress of work of `kind` on the job that runs in this process now.
  std::optional<ExecutionProgress> ProgressOf(int64_t job_id, WorkKind kind) const;
  // The work of `kind` that has not ended, with its progress, by job id.
  std::map<int64_t, ExecutionProgress> Running(WorkKind kind) const;
  // Waits for all work to end.
  void Stop();

 private:
  struct Run {
    int64_t job_id = 0;
    WorkKind kind = WorkKind::kRun;
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
    std::shared_ptr<ExecutionProgress> progress;  // guarded by mutex_
  };

  mutable std::mutex mutex_;
  std::vector<Run> runs_;
};

}  // namespace roster::http
