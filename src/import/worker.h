#pragma once

// Who executes a job: a name for this process that another process on the same machine can
// check for liveness, so that a job left "running" by a killed process reads "interrupted".
// The name holds the pid and the process start time (from /proc), so a reused pid is not
// mistaken for the dead worker.

#include <string>
#include <string_view>

namespace roster::import {

// "host:pid:starttime" for the calling process.
std::string ThisWorker();

// False when `worker` names a process of this machine that no longer runs. Workers of other
// machines are taken as alive (their own host must recover them).
bool WorkerIsAlive(std::string_view worker);

}  // namespace roster::import
