#pragma once

// The writing half of an import: record an analysis as a job, and execute a job's stored plan
// exactly once. What runs is the plan that was recorded (and shown), never a fresh guess:
// users deleted or changed since are counted, not replaced.

#include <span>
#include <string>

#include "core/import_job.h"
#include "core/organization.h"
#include "import/analysis.h"
#include "import/import_settings.h"
#include "store/store.h"

namespace roster::import {

// Stores the analysis as a new job (validated when it has no errors, mapped otherwise) with
// its issues and plan.
Result<ImportJob> RecordJob(Store& store, const Organization& organization,
                            const ImportSettings& settings, const Analysis& analysis,
                            const std::string& actor);

struct ExecuteRequest {
  int64_t job_id = 0;
  bool delete_elearning = false;
  std::string worker;  // this process (see worker.h)
  std::string actor;
  ProgressCallback progress;
  // Add/update jobs run the plan of the analysis in hand (the delete plan is stored with the
  // job, because that one must be exactly what the admin confirmed, also after a restart; an
  // add/update is safe to analyze again: it converges).
  std::span<const PlannedUpsert> upserts;
};

struct ExecutionResult {
  ImportJob job;                 // as stored after the run: done, with its counts
  DeletionOutcome outcome;       // delete mode
  UpsertOutcome upsert_outcome;  // add/update mode
};

// Claims the job (kFailedPrecondition when it ran or runs already, kAborted when another
// import of the organization runs), executes its plan in one transaction, and records the
// audit event. On a failure nothing is changed and the job reads interrupted, runnable again.
Result<ExecutionResult> ExecuteJob(Store& store, const Organization& organization,
                                   const ExecuteRequest& request);

}  // namespace roster::import
