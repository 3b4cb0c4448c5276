// SqliteStore: import jobs, their findings and execution. Split from sqlite_store.cc so each
// file has one subject.

#include <string>

#include "store/backend_common.h"
#include "store/job_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_user_fields.h"

namespace roster {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

constexpr int64_t kProgressEvery = 10'000;

// The job queue's statements.
// kClaimSql binds worker, now, org_id, job_id; it starts the job's progress afresh.
constexpr std::string_view kClaimSql =
    "UPDATE import_jobs SET state = 'running', worker = ?, error = '', progress_done = 0, "
    "progress_total = 0, updated_at = ?, version = version + 1 WHERE org_id = ? AND id = ?";
// The oldest queued job (id, org_id) that may run now.
const std::string kNextQueuedJobSql = "SELECT q.id, q.org_id FROM import_jobs q WHERE " +
                                      std::string(kNextInQueue) +
                                      " ORDER BY q.queued_at, q.id LIMIT 1";
// Binds done, total, now, org_id, job_id.
constexpr std::string_view kSaveProgressSql =
    "UPDATE import_jobs SET progress_done = ?, progress_total = ?, progress_at = ? "
    "WHERE org_id = ? AND id = ? AND state IN ('running', 'checking')";

// The columns of an issue, in the order ReadIssues reads them.
constexpr std::string_view kIssueColumns =
    "row, column_name, value, code, severity, message, suggestion";

Result<std::vector<ImportIssue>> ReadIssues(Statement& query, int64_t job_id) {
  std::vector<ImportIssue> issues;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ImportIssue issue;
    issue.row = query.Int(0);
    issue.column = query.Text(1);
    issue.value = query.Text(2);
    std::optional<IssueCode> code = IssueCodeFromName(query.TextView(3));
    if (!code) return Internal("import job " + std::to_string(job_id) + " has a corrupt issue");
    issue.code = *code;
    issue.severity = query.TextView(4) == "warning" ? Severity::kWarning : Severity::kError;
    issue.message = query.Text(5);
    if (!query.TextView(6).empty()) issue.suggestion = query.Text(6);
    issues.push_back(std::move(issue));
  }
  return issues;
}

Result<ImportJob> ReadJob(const Statement& row) {
  ImportJob job;
  job.id = row.Int(0);
  job.org_id = row.Int(1);
  std::optional<ImportMode> mode = ImportModeFromName(row.TextView(2));
  std::optional<JobState> state = JobStateFromName(row.TextView(3));
  if (!mode || !state) return Internal("import job " + std::to_string(job.id) + " is corrupt");
  job.mode = *mode;
  job.state = *state;
  job.actor = row.Text(4);
  job.file_name = row.Text(5);
  job.file_sha256 = row.Text(6);
  job.file_size = row.Int(7);
  job.sheet = row.Text(8);
  job.header_row = row.Int(9);
  job.mapping = MappingFromJson(row.TextView(10));
  job.decisions = row.Text(11);
  job.delete_elearning = row.Int(12) != 0;
  job.counts = CountsFromJson(row.TextView(13));
  job.worker = row.Text(14);
  job.error = row.Text(15);
  job.created_at = row.Int(16);
  job.updated_at = row.Int(17);
  job.confirmed_by = row.Text(18);
  job.queued_at = row.Int(19);
  job.progress_done = row.Int(20);
  job.progress_total = row.Int(21);
  job.version = row.Int(22);
  job.head = row.Text(23);
  return job;
}

}  // namespace

Result<ImportJob> SqliteStore::CreateJob(const ImportJob& job) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO import_jobs (org_id, mode, state, actor, file_name, "
                   "file_sha256, file_size, sheet, header_row, mapping, decisions, "
                   "delete_elearning, counts, created_at, updated_at, head) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  int64_t now = clock_.NowSeconds();
  ROSTER_RETURN_IF_ERROR(insert.Bind(1, job.org_id)
                             .Bind(2, ImportModeName(job.mode))
                             .Bind(3, JobStateName(job.state))
                             .Bind(4, job.actor)
                             .Bind(5, job.file_name)
                             .Bind(6, job.file_sha256)
                             .Bind(7, job.file_size)
                             .Bind(8, job.sheet)
                             .Bind(9, job.header_row)
                             .Bind(10, MappingToJson(job.mapping))
                             .Bind(11, job.decisions)
                             .Bind(12, int64_t{job.delete_elearning ? 1 : 0})
                             .Bind(13, CountsToJson(job.counts))
                             .Bind(14, now)
                             .Bind(15, now)
                             .Bind(16, job.head)
                             .Run());
  ImportJob created = job;
  created.id = db_->LastInsertId();
  created.created_at = created.updated_at = now;
  created.version = 1;
  return created;
}

Result<ImportJob> SqliteStore::GetJob(int64_t org_id, int64_t job_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kJobColumns) +
                                       " FROM import_jobs WHERE org_id = ? AND id = ?"));
  query.Bind(1, org_id).Bind(2, job_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound(NoSuchJob(job_id));
  return ReadJob(query);
}

Result<std::vector<ImportJob>> SqliteStore::ListJobs(int64_t org_id, int64_t offset,
                                                     int64_t limit) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kJobColumns) +
                                       " FROM import_jobs WHERE org_id = ? ORDER BY id DESC "
                                       "LIMIT ? OFFSET ?"));
  query.Bind(1, org_id).Bind(2, limit).Bind(3, offset);
  std::vector<ImportJob> jobs;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(query));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Status SqliteStore::WriteJob(const ImportJob& job) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement update,
      db_->Prepare("UPDATE import_jobs SET state = ?, sheet = ?, header_row = ?, mapping = ?, "
                   "decisions = ?, delete_elearning = ?, counts = ?, error = ?, updated_at = ?, "
                   "file_name = ?, file_sha256 = ?, file_size = ?, head = ?, worker = '', "
                   "version = version + 1 WHERE org_id = ? AND id = ? AND version = ? AND "
                   "state IN " +
                   std::string(kChangeableStates)));
  ROSTER_RETURN_IF_ERROR(update.Bind(1, JobStateName(job.state))
                             .Bind(2, job.sheet)
                             .Bind(3, job.header_row)
                             .Bind(4, MappingToJson(job.mapping))
                             .Bind(5, job.decisions)
                             .Bind(6, int64_t{job.delete_elearning ? 1 : 0})
                             .Bind(7, CountsToJson(job.counts))
                             .Bind(8, job.error)
                             .Bind(9, clock_.NowSeconds())
                             .Bind(10, job.file_name)
                             .Bind(11, job.file_sha256)
                             .Bind(12, job.file_size)
                             .Bind(13, job.head)
                             .Bind(14, job.org_id)
                             .Bind(15, job.id)
                             .Bind(16, job.version)
                             .Run());
  if (db_->Changes() == 1) return Status::Ok();
  ROSTER_ASSIGN_OR_RETURN(ImportJob current, GetJob(job.org_id, job.id));
  if (!JobStateIsChangeable(current.state)) return JobNoLongerChangeable(job.id, current.state);
  return JobChangedMeanwhile(job.id, job.version, current.version);
}

Result<ImportJob> SqliteStore::SaveJob(const ImportJob& job) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_RETURN_IF_ERROR(WriteJob(job));
  ROSTER_ASSIGN_OR_RETURN(ImportJob saved, GetJob(job.org_id, job.id));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return saved;
}

Result<ImportJob> SqliteStore::SaveFindings(const ImportJob& job, const JobFindings& findings) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_RETURN_IF_ERROR(WriteJob(job));
  ROSTER_RETURN_IF_ERROR(ForgetFindings(job.id));
  ROSTER_ASSIGN_OR_RETURN(
      Statement set_plan,
      db_->Prepare("INSERT INTO import_plans (job_id, basis, upserts) VALUES (?, ?, ?)"));
  ROSTER_RETURN_IF_ERROR(set_plan.Bind(1, job.id)
                             .Bind(2, JobBasis(job))
                             .BindBlob(3, EncodeUpserts(findings.upserts))
                             .Run());
  ROSTER_RETURN_IF_ERROR(WritePlanParts(job.id, SplitPlan(findings.deletions)));
  ROSTER_RETURN_IF_ERROR(WriteRowChunks(job.id, findings.rows));
  ROSTER_RETURN_IF_ERROR(InsertIssues(job.id, findings.issues));
  ROSTER_ASSIGN_OR_RETURN(ImportJob saved, GetJob(job.org_id, job.id));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return saved;
}

Result<ImportJob> SqliteStore::PatchFindings(const ImportJob& job, const FindingsPatch& patch) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_RETURN_IF_ERROR(WriteJob(job));
  ROSTER_ASSIGN_OR_RETURN(Statement basis,
                          db_->Prepare("UPDATE import_plans SET basis = ? WHERE job_id = ?"));
  ROSTER_RETURN_IF_ERROR(basis.Bind(1, JobBasis(job)).Bind(2, job.id).Run());
  ROSTER_ASSIGN_OR_RETURN(Statement clear_row,
                          db_->Prepare("DELETE FROM import_issues WHERE job_id = ? AND row = ?"));
  for (int64_t row : patch.rows)
    ROSTER_RETURN_IF_ERROR(clear_row.Bind(1, job.id).Bind(2, row).Run());
  ROSTER_RETURN_IF_ERROR(InsertIssues(job.id, patch.issues));
  ROSTER_RETURN_IF_ERROR(WriteRowChunks(job.id, patch.row_chunks));
  ROSTER_RETURN_IF_ERROR(WritePlanParts(job.id, patch.plan_parts));
  ROSTER_ASSIGN_OR_RETURN(ImportJob saved, GetJob(job.org_id, job.id));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return saved;
}

Status SqliteStore::InsertIssues(int64_t job_id, std::span<const ImportIssue> issues) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO import_issues (job_id, seq, row, column_name, value, code, "
                   "severity, message, suggestion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  // An issue's place among the issues of its row (their key is the row and this).
  int64_t seq = 0;
  int64_t row = -1;
  for (const ImportIssue& issue : issues) {
    seq = issue.row == row ? seq + 1 : 0;
    row = issue.row;
    insert.Bind(1, job_id)
        .Bind(2, seq)
        .Bind(3, issue.row)
        .Bind(4, issue.column)
        .Bind(5, issue.value)
        .Bind(6, IssueCodeName(issue.code))
        .Bind(7, SeverityName(issue.severity))
        .Bind(8, issue.message);
    if (issue.suggestion) insert.Bind(9, *issue.suggestion);
    ROSTER_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Status SqliteStore::WriteRowChunks(int64_t job_id, std::span<const RowChunk> chunks) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement write,
      db_->Prepare(
          "INSERT OR REPLACE INTO import_rows (job_id, first_row, data) VALUES (?, ?, ?)"));
  for (const RowChunk& chunk : chunks) {
    ROSTER_RETURN_IF_ERROR(
        write.Bind(1, job_id).Bind(2, chunk.first_row).BindBlob(3, chunk.data).Run());
  }
  return Status::Ok();
}

Status SqliteStore::WritePlanParts(int64_t job_id, std::span<const PlanPart> parts) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement remove,
      db_->Prepare("DELETE FROM import_plan_parts WHERE job_id = ? AND first_user = ?"));
  ROSTER_ASSIGN_OR_RETURN(Statement insert,
                          db_->Prepare("INSERT INTO import_plan_parts (job_id, first_user, "
                                       "entries) VALUES (?, ?, ?)"));
  for (const PlanPart& part : parts) {
    ROSTER_RETURN_IF_ERROR(remove.Bind(1, job_id).Bind(2, part.first_user).Run());
    if (part.entries.empty()) continue;
    ROSTER_RETURN_IF_ERROR(insert.Bind(1, job_id)
                               .Bind(2, part.entries.front().user_id)
                               .BindBlob(3, EncodePlan(part.entries))
                               .Run());
  }
  return Status::Ok();
}

Status SqliteStore::ForgetFindings(int64_t job_id) {
  for (const char* sql :
       {"DELETE FROM import_issues WHERE job_id = ?", "DELETE FROM import_rows WHERE job_id = ?",
        "DELETE FROM import_plan_parts WHERE job_id = ?",
        "DELETE FROM import_plans WHERE job_id = ?"}) {
    ROSTER_ASSIGN_OR_RETURN(Statement clear, db_->Prepare(sql));
    ROSTER_RETURN_IF_ERROR(clear.Bind(1, job_id).Run());
  }
  return Status::Ok();
}

Result<std::optional<PlanPart>> SqliteStore::LoadPlanPart(int64_t org_id, int64_t job_id,
                                                          int64_t user_id) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  // The last part that starts at or before the user, else the first.
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT first_user, entries FROM import_plan_parts WHERE job_id = ?1 AND "
                   "first_user <= ?2 ORDER BY first_user DESC LIMIT 1"));
  query.Bind(1, job_id).Bind(2, user_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    ROSTER_ASSIGN_OR_RETURN(query,
                            db_->Prepare("SELECT first_user, entries FROM import_plan_parts WHERE "
                                         "job_id = ? ORDER BY first_user LIMIT 1"));
    query.Bind(1, job_id);
    ROSTER_ASSIGN_OR_RETURN(found, query.Step());
    if (!found) return std::optional<PlanPart>();
  }
  ROSTER_ASSIGN_OR_RETURN(std::vector<PlannedDeletion> entries, DecodePlan(query.BlobView(1)));
  return std::optional<PlanPart>(PlanPart{query.Int(0), std::move(entries)});
}

Result<std::optional<RowChunk>> SqliteStore::LoadRowChunk(int64_t org_id, int64_t job_id,
                                                          int64_t row) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT first_row, data FROM import_rows WHERE job_id = ? AND first_row <= ? "
                   "ORDER BY first_row DESC LIMIT 1"));
  query.Bind(1, job_id).Bind(2, row);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<RowChunk>();
  return std::optional<RowChunk>(RowChunk{query.Int(0), std::string(query.BlobView(1))});
}

Result<std::vector<ImportIssue>> SqliteStore::ListIssuesOfRow(int64_t org_id, int64_t job_id,
                                                              int64_t row) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kIssueColumns) +
                                       " FROM import_issues WHERE job_id = ? AND row = ? "
                                       "ORDER BY seq"));
  query.Bind(1, job_id).Bind(2, row);
  return ReadIssues(query, job_id);
}

Result<std::optional<UserKey>> SqliteStore::FindUserKey(int64_t org_id, std::string_view key) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT u.id, EXISTS (SELECT 1 FROM elearning_accounts a WHERE a.user_id = "
                   "u.id) FROM users u WHERE u.org_id = ? AND u.email_key = ?"));
  query.Bind(1, org_id).Bind(2, key);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<UserKey>();
  return std::optional<UserKey>(UserKey{query.Int(0), std::string(key), query.Int(1) != 0});
}

Result<std::vector<PlannedUpsert>> SqliteStore::LoadUpserts(int64_t org_id, int64_t job_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT p.upserts FROM import_jobs j LEFT JOIN "
                                       "import_plans p ON p.job_id = j.id WHERE j.org_id = ? AND "
                                       "j.id = ?"));
  query.Bind(1, org_id).Bind(2, job_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound(NoSuchJob(job_id));
  return DecodeUpserts(query.BlobView(0));
}

Result<std::vector<RowChunk>> SqliteStore::LoadRows(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT first_row, data FROM import_rows WHERE job_id = ? ORDER BY first_row"));
  query.Bind(1, job_id);
  std::vector<RowChunk> rows;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    rows.push_back({query.Int(0), std::string(query.BlobView(1))});
  }
  return rows;
}

Status SqliteStore::CheckPlanOfJob(const ImportJob& job) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT basis FROM import_plans WHERE job_id = ?"));
  query.Bind(1, job.id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  const std::string basis = found ? query.Text(0) : "";
  if (basis.empty() || basis != JobBasis(job)) return PlanNotOfJob(job, basis);
  return Status::Ok();
}

Result<std::map<std::string, int64_t>> SqliteStore::CountIssues(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT code, count(*) FROM import_issues WHERE job_id = ? GROUP BY code"));
  query.Bind(1, job_id);
  std::map<std::string, int64_t> counts;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    counts[query.Text(0)] = query.Int(1);
  }
  return counts;
}

Result<std::vector<ImportIssue>> SqliteStore::ListIssues(int64_t org_id, int64_t job_id,
                                                         int64_t offset, int64_t limit) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kIssueColumns) +
                                       " FROM import_issues WHERE job_id = ? ORDER BY row, seq "
                                       "LIMIT ? OFFSET ?"));
  query.Bind(1, job_id).Bind(2, limit).Bind(3, offset);
  return ReadIssues(query, job_id);
}

Result<std::vector<PlannedDeletion>> SqliteStore::LoadPlan(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(GetJob(org_id, job_id).status());
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT entries FROM import_plan_parts WHERE job_id = ? "
                                       "ORDER BY first_user"));
  query.Bind(1, job_id);
  std::vector<PlannedDeletion> plan;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ROSTER_ASSIGN_OR_RETURN(std::vector<PlannedDeletion> part, DecodePlan(query.BlobView(0)));
    plan.insert(plan.end(), part.begin(), part.end());
  }
  return plan;
}

Status SqliteStore::ClaimJob(int64_t org_id, int64_t job_id, int64_t version,
                             std::string_view worker) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, GetJob(org_id, job_id));
  if (job.state != JobState::kValidated && job.state != JobState::kInterrupted) {
    return JobNotClaimable(job_id, job.state);
  }
  if (job.version != version) return JobChangedMeanwhile(job_id, version, job.version);
  ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(job));
  ROSTER_ASSIGN_OR_RETURN(
      Statement running,
      db_->Prepare("SELECT id FROM import_jobs WHERE org_id = ? AND state = 'running'"));
  running.Bind(1, org_id);
  ROSTER_ASSIGN_OR_RETURN(bool busy, running.Step());
  if (busy) return OrganizationBusy(running.Int(0));
  ROSTER_ASSIGN_OR_RETURN(Statement claim, db_->Prepare(std::string(kClaimSql)));
  ROSTER_RETURN_IF_ERROR(
      claim.Bind(1, worker).Bind(2, clock_.NowSeconds()).Bind(3, org_id).Bind(4, job_id).Run());
  return transaction.Commit();
}

Status SqliteStore::EnqueueJob(int64_t org_id, int64_t job_id, int64_t version,
                               bool delete_elearning, std::string_view confirmed_by) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, GetJob(org_id, job_id));
  if (job.state != JobState::kValidated && job.state != JobState::kInterrupted) {
    return JobNotClaimable(job_id, job.state);
  }
  if (job.version != version) return JobChangedMeanwhile(job_id, version, job.version);
  ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(job));
  const int64_t now = clock_.NowSeconds();
  ROSTER_ASSIGN_OR_RETURN(
      Statement enqueue,
      db_->Prepare("UPDATE import_jobs SET state = 'queued', delete_elearning = ?, "
                   "confirmed_by = ?, queued_at = ?, error = '', updated_at = ?, "
                   "version = version + 1 WHERE org_id = ? AND id = ?"));
  ROSTER_RETURN_IF_ERROR(enqueue.Bind(1, int64_t{delete_elearning ? 1 : 0})
                             .Bind(2, confirmed_by)
                             .Bind(3, now)
                             .Bind(4, now)
                             .Bind(5, org_id)
                             .Bind(6, job_id)
                             .Run());
  return transaction.Commit();
}

Result<std::optional<ImportJob>> SqliteStore::ClaimNextJob(std::string_view worker) {
  ROSTER_ASSIGN_OR_RETURN(Statement next, db_->Prepare(kNextQueuedJobSql));
  {
    // A look first, without the write lock: an idle worker asks every second, and waiting
    // for the lock while another process imports would hold it up for nothing.
    ROSTER_ASSIGN_OR_RETURN(bool waiting, next.Step());
    next.Reset();
    if (!waiting) return std::optional<ImportJob>();
  }
  // One writer at a time (BEGIN IMMEDIATE) makes the pick and the claim one step.
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(bool found, next.Step());
  if (!found) {
    ROSTER_RETURN_IF_ERROR(transaction.Commit());
    return std::optional<ImportJob>();
  }
  const int64_t job_id = next.Int(0);
  const int64_t org_id = next.Int(1);
  next.Reset();
  ROSTER_ASSIGN_OR_RETURN(Statement claim, db_->Prepare(std::string(kClaimSql)));
  ROSTER_RETURN_IF_ERROR(
      claim.Bind(1, worker).Bind(2, clock_.NowSeconds()).Bind(3, org_id).Bind(4, job_id).Run());
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, GetJob(org_id, job_id));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return std::optional<ImportJob>(std::move(job));
}

Result<std::optional<ImportJob>> SqliteStore::ClaimNextCheck(std::string_view worker) {
  ROSTER_ASSIGN_OR_RETURN(Statement next, db_->Prepare("SELECT q.id, q.org_id FROM import_jobs q "
                                                       "WHERE " +
                                                       std::string(kNextCheck) + " LIMIT 1"));
  {
    // A look without the write lock first, as in ClaimNextJob.
    ROSTER_ASSIGN_OR_RETURN(bool waiting, next.Step());
    next.Reset();
    if (!waiting) return std::optional<ImportJob>();
  }
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(bool found, next.Step());
  if (!found) {
    ROSTER_RETURN_IF_ERROR(transaction.Commit());
    return std::optional<ImportJob>();
  }
  const int64_t job_id = next.Int(0);
  const int64_t org_id = next.Int(1);
  next.Reset();
  ROSTER_ASSIGN_OR_RETURN(
      Statement claim,
      db_->Prepare("UPDATE import_jobs SET worker = ?, progress_done = 0, progress_total = 0, "
                   "progress_at = ? WHERE id = ?"));
  ROSTER_RETURN_IF_ERROR(claim.Bind(1, worker).Bind(2, clock_.NowSeconds()).Bind(3, job_id).Run());
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, GetJob(org_id, job_id));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return std::optional<ImportJob>(std::move(job));
}

Status SqliteStore::SaveProgress(int64_t org_id, int64_t job_id, int64_t done, int64_t total) {
  ROSTER_ASSIGN_OR_RETURN(Statement save, db_->Prepare(std::string(kSaveProgressSql)));
  return save.Bind(1, done)
      .Bind(2, total)
      .Bind(3, clock_.NowSeconds())
      .Bind(4, org_id)
      .Bind(5, job_id)
      .Run();
}

Result<int64_t> SqliteStore::RecoverInterruptedJobs(
    const std::function<WorkerLiveness(std::string_view worker)>& liveness) {
  // Running jobs and claimed checks, with their worker.
  ROSTER_ASSIGN_OR_RETURN(Statement claimed,
                          db_->Prepare("SELECT id, worker, state FROM import_jobs WHERE "
                                       "state = 'running' OR (state = 'checking' AND "
                                       "worker <> '')"));
  struct Orphan {
    int64_t id;
    std::string worker;
    bool running;
  };
  auto find_orphans = [&]() -> Result<std::vector<Orphan>> {
    std::vector<Orphan> orphans;
    while (true) {
      ROSTER_ASSIGN_OR_RETURN(bool has_row, claimed.Step());
      if (!has_row) break;
      if (liveness(claimed.TextView(1)) == WorkerLiveness::kGone) {
        orphans.push_back({claimed.Int(0), claimed.Text(1), claimed.TextView(2) == "running"});
      }
    }
    claimed.Reset();
    return orphans;
  };
  // A look first, without the write lock (as in ClaimNextJob): usually nothing is orphaned,
  // and another process's import holds the lock for as long as it runs.
  ROSTER_ASSIGN_OR_RETURN(std::vector<Orphan> seen, find_orphans());
  if (seen.empty()) return int64_t{0};
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(std::vector<Orphan> orphans, find_orphans());
  // A run that lost its worker is interrupted (nothing of it committed); a check goes back to
  // the queue, since checking again changes nothing.
  ROSTER_ASSIGN_OR_RETURN(
      Statement interrupt,
      db_->Prepare("UPDATE import_jobs SET state = 'interrupted', worker = '', updated_at = ?, "
                   "version = version + 1 WHERE id = ? AND state = 'running' AND worker = ?"));
  ROSTER_ASSIGN_OR_RETURN(
      Statement requeue,
      db_->Prepare("UPDATE import_jobs SET worker = '' WHERE id = ? AND state = 'checking' AND "
                   "worker = ?"));
  int64_t recovered = 0;
  for (const Orphan& orphan : orphans) {
    if (orphan.running) {
      ROSTER_RETURN_IF_ERROR(
          interrupt.Bind(1, clock_.NowSeconds()).Bind(2, orphan.id).Bind(3, orphan.worker).Run());
    } else {
      ROSTER_RETURN_IF_ERROR(requeue.Bind(1, orphan.id).Bind(2, orphan.worker).Run());
    }
    recovered += db_->Changes();
  }
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return recovered;
}

Status SqliteStore::InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement fail,
      db_->Prepare("UPDATE import_jobs SET state = 'interrupted', worker = '', error = ?, "
                   "updated_at = ?, version = version + 1 WHERE org_id = ? AND id = ? AND "
                   "state = 'running'"));
  return fail.Bind(1, error).Bind(2, clock_.NowSeconds()).Bind(3, org_id).Bind(4, job_id).Run();
}

Result<ImportJob> SqliteStore::RunningJob(int64_t org_id, int64_t job_id,
                                          const std::string& worker) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, GetJob(org_id, job_id));
  if (job.state != JobState::kRunning || job.worker != worker) return NotRunningForWorker(job.id);
  ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(job));
  return job;
}

Status SqliteStore::FinishJob(const ImportJob& job, const AuditEntry& audit,
                              std::string_view address_hashes, const ImportCounts& counts,
                              bool delete_elearning) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_audit,
      db_->Prepare("INSERT INTO audit_events (org_id, actor, action, at, details, "
                   "address_hashes) VALUES (?, ?, ?, ?, ?, ?)"));
  insert_audit.Bind(1, job.org_id)
      .Bind(2, audit.actor)
      .Bind(3, audit.action)
      .Bind(4, clock_.NowSeconds())
      .Bind(5, audit.details);
  if (!address_hashes.empty()) insert_audit.BindBlob(6, address_hashes);
  ROSTER_RETURN_IF_ERROR(insert_audit.Run());
  // Done: the plan and the issues named people who may be gone now, so they go too.
  ROSTER_ASSIGN_OR_RETURN(
      Statement finish,
      db_->Prepare("UPDATE import_jobs SET state = 'done', worker = '', "
                   "counts = ?, delete_elearning = ?, updated_at = ?, decisions = ?, "
                   "head = '', version = version + 1 WHERE id = ?"));
  ROSTER_RETURN_IF_ERROR(finish.Bind(1, CountsToJson(counts))
                             .Bind(2, int64_t{delete_elearning ? 1 : 0})
                             .Bind(3, clock_.NowSeconds())
                             .Bind(4, job.decisions)
                             .Bind(5, job.id)
                             .Run());
  return ForgetFindings(job.id);
}

Result<UpsertOutcome> SqliteStore::ExecuteUpsert(const UpsertRequest& request) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(ImportJob job,
                          RunningJob(request.org_id, request.job_id, request.worker));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_user,
      db_->Prepare("INSERT INTO users (org_id, " + std::string(sqlite::kUserFieldColumns) +
                   ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?) ON CONFLICT (org_id, email_key) DO NOTHING"));
  ROSTER_ASSIGN_OR_RETURN(
      Statement update_user,
      db_->Prepare("UPDATE users SET " + std::string(sqlite::kUserFieldAssignments) +
                   ", updated_at = ? WHERE org_id = ? AND id = ? AND updated_at = ? "
                   "AND NOT EXISTS (SELECT 1 FROM users o WHERE o.org_id = ? AND "
                   "o.email_key = ? AND o.id <> ?)"));
  ROSTER_ASSIGN_OR_RETURN(Statement clear_groups,
                          db_->Prepare("DELETE FROM user_groups WHERE user_id = ?"));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_group,
      db_->Prepare("INSERT OR IGNORE INTO user_groups (user_id, group_name) VALUES (?, ?)"));
  ROSTER_ASSIGN_OR_RETURN(
      Statement link_account,
      db_->Prepare("UPDATE elearning_accounts SET user_id = ?1 WHERE org_id = ?2 AND "
                   "email_key = ?3 AND user_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
                   "elearning_accounts WHERE user_id = ?1)"));

  UpsertOutcome outcome;
  const int64_t now = clock_.NowSeconds();
  const int64_t total = static_cast<int64_t>(request.plan.size());
  int64_t done = 0;
  for (const PlannedUpsert& entry : request.plan) {
    const User& user = entry.user;
    bool creating = user.id == 0;
    Statement& write = creating ? insert_user : update_user;
    int next = 1;
    if (creating) write.Bind(next++, request.org_id);
    next = sqlite::BindUserFields(write, next, user);
    write.Bind(next++, now);  // created_at of a new user, updated_at of an updated one
    if (creating) {
      write.Bind(next, now);
    } else {
      write.Bind(next, request.org_id)
          .Bind(next + 1, user.id)
          .Bind(next + 2, entry.expected_updated_at)
          .Bind(next + 3, request.org_id)
          .Bind(next + 4, user.email_key)
          .Bind(next + 5, user.id);
    }
    ROSTER_RETURN_IF_ERROR(write.Run());
    if (db_->Changes() != 1) {
      ++outcome.changed_meanwhile;
      outcome.changed_rows.push_back(entry.row);
    } else {
      int64_t id = creating ? db_->LastInsertId() : user.id;
      ++(creating ? outcome.created : outcome.updated);
      ROSTER_RETURN_IF_ERROR(clear_groups.Bind(1, id).Run());
      for (const std::string& group : user.groups) {
        ROSTER_RETURN_IF_ERROR(insert_group.Bind(1, id).Bind(2, group).Run());
      }
      ROSTER_RETURN_IF_ERROR(
          link_account.Bind(1, id).Bind(2, request.org_id).Bind(3, user.email_key).Run());
    }
    if (++done % kProgressEvery == 0 && request.progress) request.progress(done, total);
  }
  ImportCounts counts = job.counts;
  counts.created = outcome.created;
  counts.updated = outcome.updated;
  counts.already_gone = outcome.changed_meanwhile;
  ROSTER_RETURN_IF_ERROR(FinishJob(job, request.audit, "", counts, false));
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  if (request.progress) request.progress(total, total);
  return outcome;
}

Result<std::vector<AuditEvent>> SqliteStore::ListAuditEvents(int64_t org_id, int64_t offset,
                                                             int64_t limit) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT id, actor, action, at, details, length(address_hashes) / 16 FROM "
                   "audit_events WHERE org_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"));
  query.Bind(1, org_id).Bind(2, limit).Bind(3, offset);
  std::vector<AuditEvent> events;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    events.push_back({query.Int(0), query.Text(1), query.Text(2), query.Int(3), query.Text(4),
                      query.OptionalInt(5).value_or(0)});
  }
  return events;
}

}  // namespace roster
