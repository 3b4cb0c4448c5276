#pragma once

// Who executes a job: a name for this process that another process on the same machine can
// check for liveness, so that a job left "running" by a killed process reads "interrupted".
// The name holds the pid and the process start time (from /proc), so a reused pid is not
// mistaken for the dead worker.

#include <string>
#include <string_view>

#include "store/store.h"

namespace roster::import {

// "host:pid:starttime" for the calling process.
std::string ThisWorker();

// Whether `worker` still runs: kGone for a process of this machine that no longer runs (or a
// name this code did not write), kAlive for one that does, kUnknown for another machine's
// (Store::RecoverInterruptedJobs decides about those).
WorkerLiveness LivenessOf(std::string_view worker);

}  // namespace roster::import
