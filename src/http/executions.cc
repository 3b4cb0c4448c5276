#include "http/executions.h"

namespace roster::http {

void Executions::Start(
    int64_t job_id,
    std::function<void(const std::function<void(int64_t, int64_t)>& progress)> run) {
  std::lock_guard lock(mutex_);
  // Threads of finished runs are joined here, so that they don't pile up.
  std::erase_if(runs_, [](Run& run) {
    if (!*run.finished) return false;
    run.thread.join();
    return true;
  });
  progress_[job_id] = {};
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, job_id, finished, run = std::move(run)] {
    run([this, job_id](int64_t done, int64_t total) {
      std::lock_guard progress_lock(mutex_);
      progress_[job_id] = {done, total};
    });
    *finished = true;
  });
  runs_.push_back({job_id, std::move(thread), std::move(finished)});
}

std::map<int64_t, ExecutionProgress> Executions::Running() const {
  std::lock_guard lock(mutex_);
  std::map<int64_t, ExecutionProgress> running;
  for (const Run& run : runs_) {
    if (!*run.finished) running[run.job_id] = progress_.at(run.job_id);
  }
  return running;
}

std::optional<ExecutionProgress> Executions::ProgressOf(int64_t job_id) const {
  std::lock_guard lock(mutex_);
  auto found = progress_.find(job_id);
  if (found == progress_.end()) return std::nullopt;
  return found->second;
}

void Executions::Stop() {
  std::vector<Run> runs;
  {
    std::lock_guard lock(mutex_);
    runs.swap(runs_);
  }
  for (Run& run : runs) run.thread.join();
}

}  // namespace roster::http
