#include "store/support/checked_jobs.h"

#include <gtest/gtest.h>

namespace roster::testing {

ImportJob CheckedJob(Store& store, int64_t org_id, std::span<const PlannedDeletion> plan,
                     std::span<const ImportIssue> issues) {
  ImportJob job;
  job.org_id = org_id;
  job.actor = "test";
  job.file_name = "f.csv";
  job.file_sha256 = "0";
  job.mapping = {{"email", "E-Mail"}};
  Result<ImportJob> created = store.CreateJob(job);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (!created.ok()) return ImportJob{};
  created->state = JobState::kValidated;
  Result<ImportJob> checked = store.SaveFindings(*created, {issues, plan, {}, {}});
  EXPECT_TRUE(checked.ok()) << checked.status().ToString();
  return checked.ok() ? *checked : ImportJob{};
}

Status ClaimAsItIs(Store& store, int64_t org_id, int64_t job_id, std::string_view worker) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store.GetJob(org_id, job_id));
  return store.ClaimJob(org_id, job_id, job.version, worker);
}

Status EnqueueAsItIs(Store& store, int64_t org_id, int64_t job_id, bool delete_elearning,
                     std::string_view confirmed_by) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store.GetJob(org_id, job_id));
  return store.EnqueueJob(org_id, job_id, job.version, delete_elearning, confirmed_by);
}

}  // namespace roster::testing
