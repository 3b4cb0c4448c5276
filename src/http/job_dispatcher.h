#pragma once

// JobDispatcher: the worker of `roster serve`. A confirmed import waits "queued" in the
// database, and a job whose file is to be checked waits "checking"; every server sharing the
// database looks for the oldest of each it may take (Store::ClaimNextJob,
// Store::ClaimNextCheck: on PostgreSQL with FOR UPDATE SKIP LOCKED, so idle servers take what
// busy ones leave, and never two runs of one organization), runs up to `capacity` imports and
// `check_capacity` checks at a time on Executions' threads, publishes their progress where the
// other servers can read it, stops a check whose job changed since it was claimed (its result
// would be refused anyway), and every `recover_every` marks the jobs of vanished workers
// interrupted and gives their checks back to the queue.
// Start() once; Stop() ends the loop and waits for the running work. Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/random.h"
#include "http/executions.h"
#include "http/store_pool.h"
#include "import/wizard.h"
#include "sheet/limits.h"

namespace roster::http {

struct DispatcherOptions {
  // Imports this server runs at once; 0: none (it serves the API and leaves the queue to the
  // other servers). SQLite writes one at a time, so there it runs one.
  int capacity = 2;
  // Checks this server runs at once; 0: none. A check reads and does not hold the write lock
  // until it saves, so it runs beside imports on either backend.
  int check_capacity = 2;
  std::chrono::milliseconds poll{1000};  // how often the queue is looked at unasked
  std::chrono::milliseconds recover_every{30'000};
  std::function<void(const std::string&)> log;
};

class JobDispatcher {
 public:
  JobDispatcher(DispatcherOptions options, StorePool& pool, Executions& executions,
                const import::JobFiles& files, const sheet::Limits& limits, RandomSource& random,
                std::string worker);
  ~JobDispatcher() { Stop(); }

  void Start();
  // A job was queued (or a run ended): look at the queue now.
  void Wake();
  void Stop();

 private:
  void Loop();
  // Claims and starts queued jobs while there is room; false when the database failed.
  bool ClaimJobs(Store& store);
  void StartRun(const ImportJob& job, const Organization& organization);
  // Claims and starts waiting checks while there is room.
  void ClaimChecks(Store& store);
  void StartCheck(const ImportJob& job, const Organization& organization);
  // Tells the checks whose job changed since they claimed it to stop.
  void StopStaleChecks(Store& store);
  void PublishProgress(Store& store);
  bool Stopping();
  void Log(const std::string& line) const;

  DispatcherOptions options_;
  StorePool& pool_;
  Executions& executions_;
  const import::JobFiles& files_;
  sheet::Limits limits_;
  RandomSource& random_;
  std::string worker_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::map<int64_t, int64_t> org_of_run_;  // job id -> organization, of this server's runs
  struct RunningCheck {
    int64_t org_id = 0;
    int64_t version = 0;  // as claimed
    std::shared_ptr<std::atomic<bool>> stop;
  };
  std::map<int64_t, RunningCheck> checks_;  // by job id
  std::thread thread_;
};

}  // namespace roster::http
