#pragma once

// What both backends (SqliteStore, PostgresStore) say and compute the same way, so that the
// contract suite sees one behaviour: the messages of refused operations, search patterns, the
// outcome of a deletion once the backend knows which planned users went. Plain functions.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/elearning_account.h"
#include "core/import_job.h"
#include "core/result.h"
#include "core/user.h"
#include "store/store.h"

namespace roster {

// The writable user attribute columns, in the order the backends bind them (13 columns).
inline constexpr std::string_view kUserFieldColumns =
    "email, email_key, first_name, last_name, gender, academic_degree, language, "
    "address_type, manager_email, department, location, employee_id, active";

// Every column of a user (table alias `u`), in the order both backends read a whole user.
inline constexpr std::string_view kUserColumns =
    "u.id, u.org_id, u.email, u.email_key, u.first_name, u.last_name, u.gender, "
    "u.academic_degree, u.language, u.address_type, u.manager_email, u.department, "
    "u.location, u.employee_id, u.active, u.created_at, u.updated_at";
inline constexpr int kUserColumnCount = 17;

// The columns of a stored job, in the order both backends read them.
inline constexpr std::string_view kJobColumns =
    "id, org_id, mode, state, actor, file_name, file_sha256, file_size, sheet, header_row, "
    "mapping, decisions, delete_elearning, counts, worker, error, created_at, updated_at, "
    "confirmed_by, queued_at, progress_done, progress_total, version, head";

// The states in which the wizard (and a check) may still change a job: SaveJob's condition.
inline constexpr std::string_view kChangeableStates =
    "('uploaded', 'checking', 'mapped', 'validated', 'interrupted', 'failed')";

// kChangeableStates in C++.
bool JobStateIsChangeable(JobState state);

// The oldest check waiting for a worker (on import_jobs aliased q).
inline constexpr std::string_view kNextCheck =
    "q.state = 'checking' AND q.worker = '' ORDER BY q.updated_at, q.id";

// The condition (on import_jobs aliased q) of a queued job that may run now: its organization
// runs no job, and it is the organization's first in the queue (an organization's imports run
// in the order they were confirmed, also when servers race for them).
inline constexpr std::string_view kNextInQueue =
    "q.state = 'queued' AND NOT EXISTS (SELECT 1 FROM import_jobs r WHERE r.org_id = q.org_id "
    "AND r.state = 'running') AND NOT EXISTS (SELECT 1 FROM import_jobs o WHERE "
    "o.org_id = q.org_id AND o.state = 'queued' AND (o.queued_at < q.queued_at OR "
    "(o.queued_at = q.queued_at AND o.id < q.id)))";

// A LIKE pattern that finds `text` anywhere, with LIKE's own wildcards escaped by '\'.
std::string ContainsPattern(std::string_view text);

ProgressStatus ProgressStatusFromName(std::string_view name);

// What a failed user write means to the caller: a taken address (kAlreadyExists), or a value
// the schema's CHECK constraints refuse (kFailedPrecondition from the backend, kInvalidArgument
// to the caller); other failures pass through.
Status UserWriteError(const Status& status, const User& user);

// Why a database written by a newer Roster (schema version `current`) is refused.
Status SchemaTooNew(int current, int latest);

std::string NoSuchJob(int64_t job_id);
// Why SaveJob refuses a job that has started running (it is in `state` now).
Status JobNoLongerChangeable(int64_t job_id, JobState state);
// Why a job whose stored plan (made from `plan_basis`) is not of its current file and
// settings cannot be confirmed or run.
Status PlanNotOfJob(const ImportJob& job, std::string_view plan_basis);
// Why ClaimJob refuses a job in `state` (neither validated nor interrupted).
Status JobNotClaimable(int64_t job_id, JobState state);
// Why ClaimJob refuses while job `running_job_id` of the organization runs.
Status OrganizationBusy(int64_t running_job_id);
// Why an execution refuses a job that does not run for the calling worker.
Status NotRunningForWorker(int64_t job_id);

// `plan` in parts of kPlanPartEntries entries, sorted by user id, as SaveFindings stores it.
std::vector<PlanPart> SplitPlan(std::span<const PlannedDeletion> plan);

// Fills the outcome's gone rows and already_gone from `is_gone` (per plan entry), and returns
// the audit's address hashes: the 16-byte salted hashes of the entries that were deleted.
std::string CollectDeletionOutcome(std::span<const PlannedDeletion> plan,
                                   const std::vector<bool>& is_gone, DeletionOutcome& outcome);

// The job's counts after a deletion with `outcome`.
ImportCounts CountsAfterDeletion(const ImportCounts& planned, const DeletionOutcome& outcome);

}  // namespace roster
