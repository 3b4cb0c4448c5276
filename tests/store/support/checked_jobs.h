#pragma once

// Jobs as a check leaves them, for tests that need a job to confirm, claim or execute without
// reading a file: the store refuses to run a plan that was not saved with its job
// (Store::SaveFindings), and every write of a job names the version it read.

#include <cstdint>
#include <span>
#include <string_view>

#include "store/store.h"

namespace roster::testing {

// Creates a job of `org_id` and saves it validated with `plan` and `issues` (version 2).
// Fails the test, and returns an empty job, when the store refuses.
ImportJob CheckedJob(Store& store, int64_t org_id, std::span<const PlannedDeletion> plan = {},
                     std::span<const ImportIssue> issues = {});

// Claims (ClaimJob) or confirms (EnqueueJob) the job at the version it has now.
Status ClaimAsItIs(Store& store, int64_t org_id, int64_t job_id, std::string_view worker);
Status EnqueueAsItIs(Store& store, int64_t org_id, int64_t job_id, bool delete_elearning,
                     std::string_view confirmed_by);

}  // namespace roster::testing
