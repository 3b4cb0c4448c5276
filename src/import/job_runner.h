#pragma once

// The writing half of an import: record an analysis as a job, and execute a job's stored plan
// exactly once. What runs is the plan that was recorded (and shown), never a fresh guess:
// users deleted or changed since are counted, not replaced. Execution reads the job, never the
// file.

#include <span>
#include <string>

#include "core/import_job.h"
#include "core/organization.h"
#include "import/analysis.h"
#include "import/import_settings.h"
#include "import/report_writer.h"
#include "store/store.h"

namespace roster::import {

// What the analysis found, as the store keeps it with the job (the views are into `analysis`).
JobFindings FindingsOf(const Analysis& analysis);

// Stores the analysis as a new job (validated when it has no errors, mapped otherwise) with
// its issues and plan, in two steps (created, then its findings saved with its state), so that
// a crash in between leaves a job that cannot run.
Result<ImportJob> RecordJob(Store& store, const Organization& organization,
                            const ImportSettings& settings, const Analysis& analysis,
                            const std::string& actor);

struct ExecuteRequest {
  int64_t job_id = 0;
  bool delete_elearning = false;
  std::string worker;  // this process (see worker.h)
  std::string actor;
  ProgressCallback progress;
  // ExecuteJob: the version of the job the caller saw; the job does not run when it changed
  // since (kAborted).
  int64_t version = 0;
};

struct ExecutionResult {
  ImportJob job;                 // as stored after the run: done, with its counts
  DeletionOutcome outcome;       // delete mode
  UpsertOutcome upsert_outcome;  // add/update mode
};

// Checks that the job may run: kFailedPrecondition when it has unresolved errors or was not
// validated (the store refuses what ran, runs or waits to run).
Status CheckRunnable(const ImportJob& job);

// Checks that the job may run (it was validated and has no unresolved error) and claims it
// for `worker`, while it is still at `version`: kFailedPrecondition when it has errors, was
// not validated, ran or runs already; kAborted when it changed since `version` or another
// import of the organization runs. Returns the running job.
Result<ImportJob> ClaimForExecution(Store& store, const Organization& organization, int64_t job_id,
                                    int64_t version, const std::string& worker);

// Executes the plan of a job that request.worker claimed, in one transaction, and records the
// audit event. On a failure nothing is changed and the job reads interrupted, runnable again.
Result<ExecutionResult> ExecuteClaimedJob(Store& store, const Organization& organization,
                                          const ExecuteRequest& request);

// ClaimForExecution, then ExecuteClaimedJob.
Result<ExecutionResult> ExecuteJob(Store& store, const Organization& organization,
                                   const ExecuteRequest& request);

// What the execution did to the planned rows, for the result report.
ReportOutcome OutcomeOf(const ExecutionResult& result);

}  // namespace roster::import
