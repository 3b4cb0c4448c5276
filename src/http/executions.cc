#include "http/executions.h"

namespace roster::http {

void Executions::Start(
    int64_t job_id, WorkKind kind,
    std::function<void(const std::function<void(int64_t, int64_t)>& progress)> run) {
  std::lock_guard lock(mutex_);
  // Threads of finished work are joined here, so that they don't pile up.
  std::erase_if(runs_, [](Run& run) {
    if (!*run.finished) return false;
    run.thread.join();
    return true;
  });
  auto finished = std::make_shared<std::atomic<bool>>(false);
  auto progress = std::make_shared<ExecutionProgress>();
  std::thread thread([this, finished, progress, run = std::move(run)] {
    run([this, progress](int64_t done, int64_t total) {
      std::lock_guard progress_lock(mutex_);
      *progress = {done, total};
    });
    *finished = true;
  });
  runs_.push_back({job_id, kind, std::move(thread), std::move(finished), std::move(progress)});
}

std::map<int64_t, ExecutionProgress> Executions::Running(WorkKind kind) const {
  std::lock_guard lock(mutex_);
  std::map<int64_t, ExecutionProgress> running;
  for (const Run& run : runs_) {
    if (run.kind == kind && !*run.finished) running[run.job_id] = *run.progress;
  }
  return running;
}

std::optional<ExecutionProgress> Executions::ProgressOf(int64_t job_id, WorkKind kind) const {
  std::lock_guard lock(mutex_);
  for (const Run& run : runs_) {
    if (run.job_id == job_id && run.kind == kind && !*run.finished) return *run.progress;
  }
  return std::nullopt;
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
