#include "import/job_runner.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace roster::import {

JobFindings FindingsOf(const Analysis& analysis) {
  return {analysis.issues, analysis.deletions, analysis.upserts, analysis.row_chunks};
}

Result<ImportJob> RecordJob(Store& store, const Organization& organization,
                            const ImportSettings& settings, const Analysis& analysis,
                            const std::string& actor) {
  ImportJob job;
  job.org_id = organization.id;
  job.mode = settings.mode;
  job.state = analysis.HasErrors() ? JobState::kMapped : JobState::kValidated;
  job.actor = actor;
  job.file_name = analysis.file_name;
  job.file_sha256 = analysis.file_sha256;
  job.file_size = analysis.file_size;
  job.sheet = analysis.sheet;
  job.header_row = analysis.header_row;
  for (const MappedColumn& column : analysis.mapping.columns()) {
    if (column.attribute) job.mapping[std::string(SpecOf(*column.attribute).key)] = column.header;
  }
  job.decisions = settings.decisions.ToJson(analysis.audit_salt_hex);
  const JobState final_state = job.state;
  job.state = JobState::kUploaded;
  ROSTER_ASSIGN_OR_RETURN(ImportJob created, store.CreateJob(job));
  created.state = final_state;
  created.counts = analysis.counts;
  return store.SaveFindings(created, FindingsOf(analysis));
}

namespace {

Result<ExecutionResult> ExecuteUpsert(Store& store, const Organization& organization,
                                      const ImportJob& job, const ExecuteRequest& request) {
  Result<std::vector<PlannedUpsert>> plan = store.LoadUpserts(organization.id, job.id);
  if (!plan.ok()) {
    (void)store.InterruptJob(organization.id, job.id, plan.status().message());
    return plan.status();
  }
  nlohmann::json details = {{"job_id", job.id},
                            {"mode", ImportModeName(job.mode)},
                            {"file_sha256", job.file_sha256},
                            {"file_size", job.file_size},
                            {"rows", job.counts.rows},
                            {"planned", plan->size()}};
  UpsertRequest upsert{organization.id,
                       job.id,
                       request.worker,
                       *plan,
                       {request.actor, "import.add_update", details.dump()},
                       request.progress};
  Result<UpsertOutcome> outcome = store.ExecuteUpsert(upsert);
  if (!outcome.ok()) {
    (void)store.InterruptJob(organization.id, job.id, outcome.status().message());
    return outcome.status();
  }
  ROSTER_ASSIGN_OR_RETURN(ImportJob done, store.GetJob(organization.id, job.id));
  ExecutionResult result{std::move(done), {}, std::move(outcome).value()};
  return result;
}

}  // namespace

Status CheckRunnable(const ImportJob& job) {
  if (job.state == JobState::kMapped) {
    return FailedPrecondition(
        "import job " + std::to_string(job.id) + " has " + std::to_string(job.counts.errors) +
        (job.counts.errors == 1 ? " unresolved error" : " unresolved errors") +
        "; nothing changes until " + (job.counts.errors == 1 ? "it is" : "they are") +
        " fixed or excluded");
  }
  if (job.state == JobState::kUploaded) {
    return FailedPrecondition("import job " + std::to_string(job.id) +
                              " has not been checked yet; validate it first");
  }
  if (job.state == JobState::kChecking) {
    return FailedPrecondition("import job " + std::to_string(job.id) +
                              " is being checked; it can run once the check is done");
  }
  return Status::Ok();
}

Result<ImportJob> ClaimForExecution(Store& store, const Organization& organization, int64_t job_id,
                                    int64_t version, const std::string& worker) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store.GetJob(organization.id, job_id));
  ROSTER_RETURN_IF_ERROR(CheckRunnable(job));
  ROSTER_RETURN_IF_ERROR(store.ClaimJob(organization.id, job.id, version, worker));
  return store.GetJob(organization.id, job.id);
}

Result<ExecutionResult> ExecuteJob(Store& store, const Organization& organization,
                                   const ExecuteRequest& request) {
  ROSTER_RETURN_IF_ERROR(
      ClaimForExecution(store, organization, request.job_id, request.version, request.worker)
          .status());
  return ExecuteClaimedJob(store, organization, request);
}

Result<ExecutionResult> ExecuteClaimedJob(Store& store, const Organization& organization,
                                          const ExecuteRequest& request) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store.GetJob(organization.id, request.job_id));
  if (job.mode == ImportMode::kAddUpdate) return ExecuteUpsert(store, organization, job, request);
  Result<std::vector<PlannedDeletion>> plan = store.LoadPlan(organization.id, job.id);
  if (!plan.ok()) {
    (void)store.InterruptJob(organization.id, job.id, plan.status().message());
    return plan.status();
  }
  std::string salt;
  (void)ImportDecisions::FromJson(job.decisions, &salt);
  nlohmann::json details = {{"job_id", job.id},
                            {"mode", ImportModeName(job.mode)},
                            {"file_sha256", job.file_sha256},
                            {"file_size", job.file_size},
                            {"rows", job.counts.rows},
                            {"planned", plan->size()},
                            {"delete_elearning", request.delete_elearning},
                            {"address_hash", "blake2b-128, keyed with the salt"},
                            {"salt", salt}};
  // The corrected addresses an admin typed name the users about to be deleted: the done job
  // keeps its exclusions and salt, not them.
  Result<ImportDecisions> decisions = ImportDecisions::FromJson(job.decisions, nullptr);
  if (decisions.ok()) decisions->fixes.clear();
  DeletionRequest deletion{
      organization.id,
      job.id,
      request.worker,
      *plan,
      request.delete_elearning,
      {request.actor, "import.delete", details.dump()},
      request.progress,
      decisions.ok() ? decisions->ToJson(salt) : ImportDecisions{}.ToJson(salt)};
  Result<DeletionOutcome> outcome = store.ExecuteDeletion(deletion);
  if (!outcome.ok()) {
    (void)store.InterruptJob(organization.id, job.id, outcome.status().message());
    return outcome.status();
  }
  ROSTER_ASSIGN_OR_RETURN(ImportJob done, store.GetJob(organization.id, job.id));
  return ExecutionResult{std::move(done), std::move(outcome).value(), {}};
}

}  // namespace roster::import

namespace roster::import {

ReportOutcome OutcomeOf(const ExecutionResult& result) {
  const bool deleting = result.job.mode == ImportMode::kDelete;
  ReportOutcome outcome{result.job.mode,
                        deleting ? result.outcome.gone_rows : result.upsert_outcome.changed_rows};
  std::sort(outcome.gone_rows.begin(), outcome.gone_rows.end());
  return outcome;
}

}  // namespace roster::import
