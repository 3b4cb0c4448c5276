#include "store/backend_common.h"

#include <algorithm>

namespace roster {

std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

ProgressStatus ProgressStatusFromName(std::string_view name) {
  if (name == "completed") return ProgressStatus::kCompleted;
  if (name == "in_progress") return ProgressStatus::kInProgress;
  return ProgressStatus::kNotStarted;
}

Status UserWriteError(const Status& status, const User& user) {
  if (status.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("a user with the address " + user.email + " exists already");
  }
  if (status.code() == ErrorCode::kFailedPrecondition) {
    return InvalidArgument("the user " + user.email +
                           " has a value the database refuses (gender or address type)");
  }
  return status;
}

Status SchemaTooNew(int current, int latest) {
  return FailedPrecondition("the database has schema version " + std::to_string(current) +
                            ", newer than this Roster knows (" + std::to_string(latest) +
                            "): upgrade Roster");
}

std::string NoSuchJob(int64_t job_id) {
  return "no import job with the id " + std::to_string(job_id);
}

Status JobNoLongerChangeable(int64_t job_id, JobState state) {
  return FailedPrecondition("import job " + std::to_string(job_id) + " is " +
                            std::string(JobStateName(state)) + " and can no longer be changed");
}

bool JobStateIsChangeable(JobState state) {
  switch (state) {
    case JobState::kUploaded:
    case JobState::kChecking:
    case JobState::kMapped:
    case JobState::kValidated:
    case JobState::kInterrupted:
    case JobState::kFailed: return true;
    case JobState::kQueued:
    case JobState::kRunning:
    case JobState::kDone:
    case JobState::kCancelled: return false;
  }
  return false;
}

Status PlanNotOfJob(const ImportJob& job, std::string_view plan_basis) {
  return FailedPrecondition(
      "import job " + std::to_string(job.id) +
      (plan_basis.empty() ? " has no plan made by this version of Roster"
                          : " has a plan that was not made from its current file and settings") +
      "; check the file again before it runs (nothing was changed)");
}

Status JobNotClaimable(int64_t job_id, JobState state) {
  return FailedPrecondition("import job " + std::to_string(job_id) + " is " +
                            std::string(JobStateName(state)) +
                            (state == JobState::kQueued
                                 ? " (confirmed, waiting for a server to run it): it runs only once"
                             : state == JobState::kRunning || state == JobState::kDone
                                 ? ": it runs only once"
                                 : ": only a validated job can run"));
}

Status OrganizationBusy(int64_t running_job_id) {
  return Aborted("another import of this organization (job " + std::to_string(running_job_id) +
                 ") is running; wait until it is done and try again");
}

Status NotRunningForWorker(int64_t job_id) {
  return FailedPrecondition("import job " + std::to_string(job_id) +
                            " is not running for this worker");
}

std::vector<PlanPart> SplitPlan(std::span<const PlannedDeletion> plan) {
  std::vector<PlannedDeletion> sorted(plan.begin(), plan.end());
  auto by_user = [](const PlannedDeletion& a, const PlannedDeletion& b) {
    return a.user_id < b.user_id;
  };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_user)) {
    std::stable_sort(sorted.begin(), sorted.end(), by_user);
  }
  std::vector<PlanPart> parts;
  for (size_t at = 0; at < sorted.size(); at += kPlanPartEntries) {
    const size_t end = std::min(sorted.size(), at + kPlanPartEntries);
    parts.push_back({sorted[at].user_id,
                     {sorted.begin() + static_cast<ptrdiff_t>(at),
                      sorted.begin() + static_cast<ptrdiff_t>(end)}});
  }
  return parts;
}

std::string CollectDeletionOutcome(std::span<const PlannedDeletion> plan,
                                   const std::vector<bool>& is_gone, DeletionOutcome& outcome) {
  std::string audit_hashes;
  audit_hashes.reserve(plan.size() * 16);
  for (size_t i = 0; i < plan.size(); ++i) {
    const PlannedDeletion& entry = plan[i];
    if (is_gone[i]) {
      outcome.gone_rows.push_back(entry.row);
      continue;
    }
    audit_hashes.append(reinterpret_cast<const char*>(entry.audit_hash.data()),
                        entry.audit_hash.size());
  }
  outcome.already_gone = static_cast<int64_t>(outcome.gone_rows.size());
  return audit_hashes;
}

ImportCounts CountsAfterDeletion(const ImportCounts& planned, const DeletionOutcome& outcome) {
  ImportCounts counts = planned;
  counts.deleted = outcome.deleted;
  counts.already_gone = outcome.already_gone;
  counts.elearning_deleted = outcome.elearning_deleted;
  counts.elearning_unlinked = outcome.elearning_unlinked;
  return counts;
}

}  // namespace roster
