#pragma once

// Executions: the imports that run in the background of `roster serve`. The request that
// asks for an execution claims the job itself (so that "already ran" or "another import
// runs" is its answer), then the run continues on a thread of its own while the console
// polls the progress. Stop() waits for the runs: each is one transaction, so finishing is
// quicker and safer than abandoning it (an abandoned one would read interrupted anyway).
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace roster::http {

struct ExecutionProgress {
  int64_t done = 0;
  int64_t total = 0;
};

class Executions {
 public:
  ~Executions() { Stop(); }

  // Runs `run` on a new thread; `run` reports progress through the callback it is given.
  void Start(int64_t job_id,
             std::function<void(const std::function<void(int64_t, int64_t)>& progress)> run);
  // The progress of a run of this process, if one runs or ran.
  std::optional<ExecutionProgress> ProgressOf(int64_t job_id) const;
  // The runs that have not ended, with their progress, by job id.
  std::map<int64_t, ExecutionProgress> Running() const;
  // Waits for every run to end.
  void Stop();

 private:
  mutable std::mutex mutex_;
  std::map<int64_t, ExecutionProgress> progress_;
  struct Run {
    int64_t job_id = 0;
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::vector<Run> runs_;
};

}  // namespace roster::http
