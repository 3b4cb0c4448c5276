#pragma once

// JobDispatcher: the worker of `roster serve`. A confirmed import waits "queued" in the
// database; every server sharing the database looks for the oldest one it may run
// (Store::ClaimNextJob: on PostgreSQL with FOR UPDATE SKIP LOCKED, so idle servers take what
// busy ones leave, and never two of one organization), runs up to `capacity` at a time on
// Executions' threads, publishes their progress where the other servers can read it, and
// every `recover_every` marks the jobs of vanished workers interrupted.
// Start() once; Stop() ends the loop and waits for the running imports. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
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
  void PublishProgress(Store& store);
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
  std::thread thread_;
};

}  // namespace roster::http
