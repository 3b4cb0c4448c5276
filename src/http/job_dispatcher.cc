#include "http/job_dispatcher.h"

#include <algorithm>

#include "import/worker.h"

namespace roster::http {

JobDispatcher::JobDispatcher(DispatcherOptions options, StorePool& pool, Executions& executions,
                             const import::JobFiles& files, const sheet::Limits& limits,
                             RandomSource& random, std::string worker)
    : options_(std::move(options)),
      pool_(pool),
      executions_(executions),
      files_(files),
      limits_(limits),
      random_(random),
      worker_(std::move(worker)) {}

void JobDispatcher::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void JobDispatcher::Wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  wake_.notify_one();
}

void JobDispatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    // A check is cheap to do again: the next server (or this one, restarted) takes it up.
    for (auto& [job_id, check] : checks_) *check.stop = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  // The runs call back into this object: they end before it does.
  executions_.Stop();
}

void JobDispatcher::Loop() {
  // Bind() recovered at start; from then on, every recover_every.
  auto next_recovery = std::chrono::steady_clock::now() + options_.recover_every;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (Result<StorePool::Lease> store = pool_.Acquire(); !store.ok()) {
      Log("the job queue cannot be read: " + store.status().message());
    } else {
      // On SQLite a run holds the only write lock for its whole length: recovery (a write)
      // waits for a moment without one.
      const bool writer_busy =
          !(*store)->ConcurrentWriters() && !executions_.Running(WorkKind::kRun).empty();
      if (std::chrono::steady_clock::now() >= next_recovery && !writer_busy) {
        next_recovery = std::chrono::steady_clock::now() + options_.recover_every;
        Result<int64_t> recovered = (*store)->RecoverInterruptedJobs(import::LivenessOf);
        if (!recovered.ok()) {
          Log("recovering interrupted jobs failed: " + recovered.status().message());
        } else if (*recovered > 0) {
          Log(std::to_string(*recovered) +
              " import job(s) of a vanished worker now read interrupted");
        }
      }
      StopStaleChecks(**store);
      ClaimJobs(**store);
      ClaimChecks(**store);
      if ((*store)->ConcurrentWriters()) PublishProgress(**store);
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll, [this] { return woken_ || stopping_; });
    woken_ = false;
  }
}

bool JobDispatcher::ClaimJobs(Store& store) {
  const size_t capacity = static_cast<size_t>(
      store.ConcurrentWriters() ? options_.capacity : std::min(options_.capacity, 1));
  while (executions_.Running(WorkKind::kRun).size() < capacity) {
    if (Stopping()) return true;
    Result<std::optional<ImportJob>> claimed = store.ClaimNextJob(worker_);
    if (!claimed.ok()) {
      Log("claiming a queued import failed: " + claimed.status().message());
      return false;
    }
    if (!claimed->has_value()) return true;
    const ImportJob& job = **claimed;
    Result<Organization> organization = store.GetOrganization(job.org_id);
    if (!organization.ok()) {
      (void)store.InterruptJob(job.org_id, job.id, organization.status().message());
      continue;
    }
    StartRun(job, *organization);
  }
  return true;
}

void JobDispatcher::StartRun(const ImportJob& job, const Organization& organization) {
  {
    std::lock_guard lock(mutex_);
    org_of_run_[job.id] = organization.id;
  }
  Log("import job " + std::to_string(job.id) + " runs here");
  const int64_t job_id = job.id;
  executions_.Start(
      job_id, WorkKind::kRun,
      [this, job_id, organization,
       actor = job.confirmed_by](const std::function<void(int64_t, int64_t)>& progress) {
        Result<StorePool::Lease> store = pool_.Acquire();
        if (!store.ok()) {
          // It stays running until recovery finds its worker gone (a restart, at the latest).
          Log("import job " + std::to_string(job_id) +
              " cannot start: " + store.status().message());
        } else {
          import::Wizard runner(**store, organization, files_, limits_, random_);
          Result<import::ExecutionResult> result = runner.Run(job_id, worker_, actor, progress);
          Log("import job " + std::to_string(job_id) +
              (result.ok() ? " is done" : " was interrupted: " + result.status().message()));
        }
        {
          std::lock_guard lock(mutex_);
          org_of_run_.erase(job_id);
        }
        Wake();  // room for the next one (perhaps of the same organization)
      });
}

void JobDispatcher::ClaimChecks(Store& store) {
  while (executions_.Running(WorkKind::kCheck).size() <
         static_cast<size_t>(std::max(options_.check_capacity, 0))) {
    if (Stopping()) return;
    Result<std::optional<ImportJob>> claimed = store.ClaimNextCheck(worker_);
    if (!claimed.ok()) {
      Log("claiming a check failed: " + claimed.status().message());
      return;
    }
    if (!claimed->has_value()) return;
    const ImportJob& job = **claimed;
    Result<Organization> organization = store.GetOrganization(job.org_id);
    if (!organization.ok()) {
      Log("import job " + std::to_string(job.id) +
          " cannot be checked: " + organization.status().message());
      return;  // it stays claimed until its worker (this process) is gone
    }
    StartCheck(job, *organization);
  }
}

void JobDispatcher::StartCheck(const ImportJob& job, const Organization& organization) {
  auto stop = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mutex_);
    org_of_run_[job.id] = organization.id;
    checks_[job.id] = {organization.id, job.version, stop};
  }
  executions_.Start(job.id, WorkKind::kCheck,
                    [this, job, organization, stop](
                        const std::function<void(int64_t, int64_t)>& progress) {
    Result<StorePool::Lease> store = pool_.Acquire();
    if (!store.ok()) {
      Log("import job " + std::to_string(job.id) +
          " cannot be checked: " + store.status().message());
    } else {
      import::Wizard wizard(**store, organization, files_, limits_, random_);
      import::CheckControl control{progress, [stop] { return !*stop;
    }};
                        Result<ImportJob> checked = wizard.RunCheck(job, control);
                        if (!checked.ok() && checked.status().code() == ErrorCode::kAborted) {
    Log("the check of import job " + std::to_string(job.id) +
        " was left: the job changed meanwhile");
                        }
}
{
  std::lock_guard lock(mutex_);
  org_of_run_.erase(job.id);
  checks_.erase(job.id);
}
Wake();  // room for the next check
});
}

void JobDispatcher::StopStaleChecks(Store& store) {
  std::map<int64_t, RunningCheck> checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  for (const auto& [job_id, check] : checks) {
    Result<ImportJob> job = store.GetJob(check.org_id, job_id);
    if (job.ok() && job->version == check.version) continue;
    *check.stop = true;
  }
}

void JobDispatcher::PublishProgress(Store& store) {
  std::map<int64_t, ExecutionProgress> running = executions_.Running(WorkKind::kRun);
  running.merge(executions_.Running(WorkKind::kCheck));
  for (const auto& [job_id, progress] : running) {
    int64_t org_id = 0;
    {
      std::lock_guard lock(mutex_);
      auto found = org_of_run_.find(job_id);
      if (found == org_of_run_.end()) continue;
      org_id = found->second;
    }
    // Progress is a courtesy to the other servers' consoles (and, for a check, the sign that
    // its worker lives): a failure here changes nothing.
    (void)store.SaveProgress(org_id, job_id, progress.done, progress.total);
  }
}

bool JobDispatcher::Stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void JobDispatcher::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

}  // namespace roster::http
