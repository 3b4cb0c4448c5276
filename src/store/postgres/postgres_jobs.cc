// PostgresStore: import jobs, their findings, claiming and the add/update execution. Split from
// postgres_store.cc so each file has one subject; the deletion is postgres_deletion.cc.

#include <string>

#include "store/backend_common.h"
#include "store/job_codec.h"
#include "store/postgres/postgres_db.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/postgres_user_fields.h"

namespace roster {
namespace {

using postgres::View;

constexpr int64_t kProgressEvery = 10'000;

// pg_advisory_xact_lock(<claim space>, organization): one claim of an organization at a
// time, across processes, so that "no other job of the organization runs" stays true until the
// claim commits. Organization ids are folded into PostgreSQL's 32-bit key; two organizations
// sharing a key only wait for each other's claims, never refuse each other. Advisory locks are
// the whole database's: the space is named after the schema, so that Roster installations in
// two schemas of one database do not wait for each other.
const std::string kClaimLock =
    "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/roster-claim'), $1::int)";
const std::string kTryClaimLock =
    "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '/roster-claim'), $1::int)";
// pg_advisory_xact_lock(<run space>, job): held by the transaction that executes the job, so
// that a process recovering jobs of vanished machines sees which executions are alive.
const std::string kRunLock =
    "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/roster-run'), $1::int)";
const std::string kTryRunLock =
    "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '/roster-run'), $1::int)";
constexpr int64_t kLockKeys = int64_t{1} << 31;
// Claims a job for a worker ($1) at $2, organization $3, job $4: running, its progress afresh.
constexpr const char* kClaimSql =
    "UPDATE import_jobs SET state = 'running', worker = $1, error = '', progress_done = 0, "
    "progress_total = 0, updated_at = $2, version = version + 1 WHERE org_id = $3 AND id = $4";
// How many queued jobs one ClaimNextJob looks at: rows other processes are claiming are
// skipped, and so are organizations whose claim races with another.
constexpr int kQueueWindow = 16;

Result<ImportJob> JobFromRow(const pqxx::row& row) {
  ImportJob job;
  job.id = row[0].as<int64_t>();
  job.org_id = row[1].as<int64_t>();
  std::optional<ImportMode> mode = ImportModeFromName(View(row[2]));
  std::optional<JobState> state = JobStateFromName(View(row[3]));
  if (!mode || !state) return Internal("import job " + std::to_string(job.id) + " is corrupt");
  job.mode = *mode;
  job.state = *state;
  job.actor = row[4].c_str();
  job.file_name = row[5].c_str();
  job.file_sha256 = row[6].c_str();
  job.file_size = row[7].as<int64_t>();
  job.sheet = row[8].c_str();
  job.header_row = row[9].as<int64_t>();
  job.mapping = MappingFromJson(View(row[10]));
  job.decisions = row[11].c_str();
  job.delete_elearning = row[12].as<bool>();
  job.counts = CountsFromJson(View(row[13]));
  job.worker = row[14].c_str();
  job.error = row[15].c_str();
  job.created_at = row[16].as<int64_t>();
  job.updated_at = row[17].as<int64_t>();
  job.confirmed_by = row[18].c_str();
  job.queued_at = row[19].as<int64_t>();
  job.progress_done = row[20].as<int64_t>();
  job.progress_total = row[21].as<int64_t>();
  job.version = row[22].as<int64_t>();
  job.head = row[23].c_str();
  return job;
}

// The columns of an issue, in the order IssuesFrom reads them.
constexpr std::string_view kIssueColumns =
    "row, column_name, value, code, severity, message, suggestion";

Result<std::vector<ImportIssue>> IssuesFrom(const pqxx::result& rows, int64_t job_id) {
  std::vector<ImportIssue> issues;
  for (const pqxx::row& row : rows) {
    ImportIssue issue;
    issue.row = row[0].as<int64_t>();
    issue.column = row[1].c_str();
    issue.value = row[2].c_str();
    std::optional<IssueCode> code = IssueCodeFromName(View(row[3]));
    if (!code) return Internal("import job " + std::to_string(job_id) + " has a corrupt issue");
    issue.code = *code;
    issue.severity = View(row[4]) == "warning" ? Severity::kWarning : Severity::kError;
    issue.message = row[5].c_str();
    if (!row[6].is_null()) issue.suggestion = row[6].c_str();
    issues.push_back(std::move(issue));
  }
  return issues;
}

pqxx::binarystring Bytes(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

}  // namespace

Result<ImportJob> PostgresStore::CreateJob(const ImportJob& job) {
  return db_->Transact(
      "creating an import job", [&](pqxx::transaction_base& tx) -> Result<ImportJob> {
        ImportJob created = job;
        created.created_at = created.updated_at = clock_.NowSeconds();
        created.version = 1;
        created.id = tx.exec_params1(
                           "INSERT INTO import_jobs (org_id, mode, state, actor, file_name, "
                           "file_sha256, file_size, sheet, header_row, mapping, decisions, "
                           "delete_elearning, counts, created_at, updated_at, head) VALUES ($1, "
                           "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) "
                           "RETURNING id",
                           job.org_id, std::string(ImportModeName(job.mode)),
                           std::string(JobStateName(job.state)), job.actor, job.file_name,
                           job.file_sha256, job.file_size, job.sheet, job.header_row,
                           MappingToJson(job.mapping), job.decisions, job.delete_elearning,
                           CountsToJson(job.counts), created.created_at, job.head)[0]
                         .as<int64_t>();
        return created;
      });
}

Result<ImportJob> PostgresStore::ReadJob(pqxx::transaction_base& tx, int64_t org_id, int64_t job_id,
                                         bool for_update) {
  pqxx::result found = tx.exec_params("SELECT " + std::string(kJobColumns) +
                                          " FROM import_jobs WHERE org_id = $1 AND id = $2" +
                                          (for_update ? " FOR UPDATE" : ""),
                                      org_id, job_id);
  if (found.empty()) return NotFound(NoSuchJob(job_id));
  return JobFromRow(found[0]);
}

Result<ImportJob> PostgresStore::GetJob(int64_t org_id, int64_t job_id) {
  return db_->Transact("reading an import job", [&](pqxx::transaction_base& tx) {
    return ReadJob(tx, org_id, job_id, /*for_update=*/false);
  });
}

Result<std::vector<ImportJob>> PostgresStore::ListJobs(int64_t org_id, int64_t offset,
                                                       int64_t limit) {
  return db_->Transact(
      "listing import jobs", [&](pqxx::transaction_base& tx) -> Result<std::vector<ImportJob>> {
        std::vector<ImportJob> jobs;
        for (const pqxx::row& row :
             tx.exec_params("SELECT " + std::string(kJobColumns) +
                                " FROM import_jobs WHERE org_id = $1 ORDER BY id DESC "
                                "LIMIT $2 OFFSET $3",
                            org_id, limit, offset)) {
          ROSTER_ASSIGN_OR_RETURN(ImportJob job, JobFromRow(row));
          jobs.push_back(std::move(job));
        }
        return jobs;
      });
}

Status PostgresStore::WriteJob(pqxx::transaction_base& tx, const ImportJob& job,
                               const JobFindings* findings) {
  // The add/update plan and the basis change only with findings (SaveFindings).
  const std::string set_plans = findings != nullptr ? ", upserts = $17, plan_basis = $18" : "";
  const std::string update =
      "UPDATE import_jobs SET state = $1, sheet = $2, header_row = $3, mapping = $4, "
      "decisions = $5, delete_elearning = $6, counts = $7, error = $8, updated_at = $9, "
      "file_name = $10, file_sha256 = $11, file_size = $12, head = $16, worker = '', "
      "version = version + 1" +
      set_plans + " WHERE org_id = $13 AND id = $14 AND version = $15 AND state IN " +
      std::string(kChangeableStates);
  auto run = [&](auto&&... plans) {
    return tx.exec_params(update, std::string(JobStateName(job.state)), job.sheet, job.header_row,
                          MappingToJson(job.mapping), job.decisions, job.delete_elearning,
                          CountsToJson(job.counts), job.error, clock_.NowSeconds(), job.file_name,
                          job.file_sha256, job.file_size, job.org_id, job.id, job.version, job.head,
                          plans...);
  };
  pqxx::result saved =
      findings != nullptr ? run(Bytes(EncodeUpserts(findings->upserts)), JobBasis(job)) : run();
  if (saved.affected_rows() == 1) return Status::Ok();
  ROSTER_ASSIGN_OR_RETURN(ImportJob current, ReadJob(tx, job.org_id, job.id, false));
  if (!JobStateIsChangeable(current.state)) return JobNoLongerChangeable(job.id, current.state);
  return JobChangedMeanwhile(job.id, job.version, current.version);
}

Result<ImportJob> PostgresStore::SaveJob(const ImportJob& job) {
  return db_->Transact("saving an import job",
                       [&](pqxx::transaction_base& tx) -> Result<ImportJob> {
                         ROSTER_RETURN_IF_ERROR(WriteJob(tx, job, nullptr));
                         return ReadJob(tx, job.org_id, job.id, false);
                       });
}

Result<ImportJob> PostgresStore::SaveFindings(const ImportJob& job, const JobFindings& findings) {
  return db_->Transact(
      "saving an import job's findings", [&](pqxx::transaction_base& tx) -> Result<ImportJob> {
        ROSTER_RETURN_IF_ERROR(WriteJob(tx, job, &findings));
        for (const char* table : {"import_issues", "import_rows", "import_plan_parts"}) {
          tx.exec_params("DELETE FROM " + std::string(table) + " WHERE job_id = $1", job.id);
        }
        if (!findings.issues.empty()) {
          pqxx::stream_to copy(
              tx, "import_issues",
              std::vector<std::string>{"job_id", "seq", "row", "column_name", "value", "code",
                                       "severity", "message", "suggestion"});
          int64_t seq = 0;
          for (const ImportIssue& issue : findings.issues) {
            copy << std::make_tuple(job.id, seq++, issue.row, issue.column, issue.value,
                                    std::string(IssueCodeName(issue.code)),
                                    std::string(SeverityName(issue.severity)), issue.message,
                                    postgres::OrNull(issue.suggestion));
          }
          copy.complete();
        }
        WriteRowChunks(tx, job.id, findings.rows);
        WritePlanParts(tx, job.id, SplitPlan(findings.deletions));
        return ReadJob(tx, job.org_id, job.id, false);
      });
}

Result<ImportJob> PostgresStore::PatchFindings(const ImportJob& job, const FindingsPatch& patch) {
  return db_->Transact(
      "changing an import job's findings", [&](pqxx::transaction_base& tx) -> Result<ImportJob> {
        ROSTER_RETURN_IF_ERROR(WriteJob(tx, job, nullptr));
        tx.exec_params("UPDATE import_jobs SET plan_basis = $1 WHERE id = $2", JobBasis(job),
                       job.id);
        for (int64_t row : patch.rows) {
          tx.exec_params("DELETE FROM import_issues WHERE job_id = $1 AND row = $2", job.id, row);
        }
        int64_t seq = 0;
        int64_t row = -1;
        for (const ImportIssue& issue : patch.issues) {
          seq = issue.row == row ? seq + 1 : 0;
          row = issue.row;
          tx.exec_params(
              "INSERT INTO import_issues (job_id, seq, row, column_name, value, code, severity, "
              "message, suggestion) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
              job.id, seq, issue.row, issue.column, issue.value,
              std::string(IssueCodeName(issue.code)), std::string(SeverityName(issue.severity)),
              issue.message, postgres::OrNull(issue.suggestion));
        }
        WriteRowChunks(tx, job.id, patch.row_chunks);
        WritePlanParts(tx, job.id, patch.plan_parts);
        return ReadJob(tx, job.org_id, job.id, false);
      });
}

void PostgresStore::WriteRowChunks(pqxx::transaction_base& tx, int64_t job_id,
                                   std::span<const RowChunk> chunks) {
  for (const RowChunk& chunk : chunks) {
    tx.exec_params(
        "INSERT INTO import_rows (job_id, first_row, data) VALUES ($1, $2, $3) "
        "ON CONFLICT (job_id, first_row) DO UPDATE SET data = EXCLUDED.data",
        job_id, chunk.first_row, Bytes(chunk.data));
  }
}

void PostgresStore::WritePlanParts(pqxx::transaction_base& tx, int64_t job_id,
                                   std::span<const PlanPart> parts) {
  for (const PlanPart& part : parts) {
    tx.exec_params("DELETE FROM import_plan_parts WHERE job_id = $1 AND first_user = $2", job_id,
                   part.first_user);
    if (part.entries.empty()) continue;
    tx.exec_params(
        "INSERT INTO import_plan_parts (job_id, first_user, entries) VALUES ($1, $2, $3)", job_id,
        part.entries.front().user_id, Bytes(EncodePlan(part.entries)));
  }
}

Result<std::optional<PlanPart>> PostgresStore::LoadPlanPart(int64_t org_id, int64_t job_id,
                                                            int64_t user_id) {
  return db_->Transact(
      "loading a part of a plan",
      [&](pqxx::transaction_base& tx) -> Result<std::optional<PlanPart>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        // The last part that starts at or before the user, else the first.
        pqxx::result found = tx.exec_params(
            "SELECT first_user, entries FROM import_plan_parts WHERE job_id = $1 AND "
            "first_user <= $2 ORDER BY first_user DESC LIMIT 1",
            job_id, user_id);
        if (found.empty()) {
          found = tx.exec_params(
              "SELECT first_user, entries FROM import_plan_parts WHERE job_id = $1 "
              "ORDER BY first_user LIMIT 1",
              job_id);
        }
        if (found.empty()) return std::optional<PlanPart>();
        pqxx::binarystring blob(found[0][1]);
        ROSTER_ASSIGN_OR_RETURN(std::vector<PlannedDeletion> entries,
                                DecodePlan(std::string_view(blob.get(), blob.size())));
        return std::optional<PlanPart>(PlanPart{found[0][0].as<int64_t>(), std::move(entries)});
      });
}

Result<std::optional<RowChunk>> PostgresStore::LoadRowChunk(int64_t org_id, int64_t job_id,
                                                            int64_t row) {
  return db_->Transact(
      "loading rows of an import job",
      [&](pqxx::transaction_base& tx) -> Result<std::optional<RowChunk>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        pqxx::result found = tx.exec_params(
            "SELECT first_row, data FROM import_rows WHERE job_id = $1 AND first_row <= $2 "
            "ORDER BY first_row DESC LIMIT 1",
            job_id, row);
        if (found.empty()) return std::optional<RowChunk>();
        pqxx::binarystring data(found[0][1]);
        return std::optional<RowChunk>(
            RowChunk{found[0][0].as<int64_t>(), std::string(data.get(), data.size())});
      });
}

Result<std::vector<ImportIssue>> PostgresStore::ListIssuesOfRow(int64_t org_id, int64_t job_id,
                                                                int64_t row) {
  return db_->Transact(
      "listing the issues of a row",
      [&](pqxx::transaction_base& tx) -> Result<std::vector<ImportIssue>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        return IssuesFrom(tx.exec_params("SELECT " + std::string(kIssueColumns) +
                                             " FROM import_issues WHERE job_id = $1 AND row = $2 "
                                             "ORDER BY seq",
                                         job_id, row),
                          job_id);
      });
}

Result<std::optional<UserKey>> PostgresStore::FindUserKey(int64_t org_id, std::string_view key) {
  return db_->Transact(
      "finding a user by address",
      [&](pqxx::transaction_base& tx) -> Result<std::optional<UserKey>> {
        pqxx::result found = tx.exec_params(
            "SELECT u.id, EXISTS (SELECT 1 FROM elearning_accounts a WHERE a.user_id = u.id) "
            "FROM users u WHERE u.org_id = $1 AND u.email_key = $2",
            org_id, std::string(key));
        if (found.empty()) return std::optional<UserKey>();
        return std::optional<UserKey>(
            UserKey{found[0][0].as<int64_t>(), std::string(key), found[0][1].as<bool>()});
      });
}

Result<std::vector<PlannedUpsert>> PostgresStore::LoadUpserts(int64_t org_id, int64_t job_id) {
  return db_->Transact("loading an add/update plan",
                       [&](pqxx::transaction_base& tx) -> Result<std::vector<PlannedUpsert>> {
                         pqxx::result found = tx.exec_params(
                             "SELECT upserts FROM import_jobs WHERE org_id = $1 AND id = $2",
                             org_id, job_id);
                         if (found.empty()) return NotFound(NoSuchJob(job_id));
                         if (found[0][0].is_null()) return std::vector<PlannedUpsert>();
                         pqxx::binarystring blob(found[0][0]);
                         return DecodeUpserts(std::string_view(blob.get(), blob.size()));
                       });
}

Result<std::vector<RowChunk>> PostgresStore::LoadRows(int64_t org_id, int64_t job_id) {
  return db_->Transact(
      "loading the rows of an import job",
      [&](pqxx::transaction_base& tx) -> Result<std::vector<RowChunk>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        std::vector<RowChunk> rows;
        for (const pqxx::row& row :
             tx.exec_params("SELECT first_row, data FROM import_rows WHERE job_id = $1 ORDER BY "
                            "first_row",
                            job_id)) {
          pqxx::binarystring data(row[1]);
          rows.push_back({row[0].as<int64_t>(), std::string(data.get(), data.size())});
        }
        return rows;
      });
}

Status PostgresStore::CheckPlanOfJob(pqxx::transaction_base& tx, const ImportJob& job) {
  pqxx::result found = tx.exec_params("SELECT plan_basis FROM import_jobs WHERE id = $1", job.id);
  const std::string basis = found.empty() ? "" : found[0][0].c_str();
  if (basis.empty() || basis != JobBasis(job)) return PlanNotOfJob(job, basis);
  return Status::Ok();
}

Result<std::vector<ImportIssue>> PostgresStore::ListIssues(int64_t org_id, int64_t job_id,
                                                           int64_t offset, int64_t limit) {
  return db_->Transact(
      "listing issues", [&](pqxx::transaction_base& tx) -> Result<std::vector<ImportIssue>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        return IssuesFrom(tx.exec_params("SELECT " + std::string(kIssueColumns) +
                                             " FROM import_issues WHERE job_id = $1 ORDER BY "
                                             "row, seq LIMIT $2 OFFSET $3",
                                         job_id, limit, offset),
                          job_id);
      });
}

Result<std::map<std::string, int64_t>> PostgresStore::CountIssues(int64_t org_id, int64_t job_id) {
  return db_->Transact(
      "counting issues", [&](pqxx::transaction_base& tx) -> Result<std::map<std::string, int64_t>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        std::map<std::string, int64_t> counts;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT code, count(*) FROM import_issues WHERE job_id = $1 GROUP BY code",
                 job_id)) {
          counts[row[0].c_str()] = row[1].as<int64_t>();
        }
        return counts;
      });
}

Result<std::vector<PlannedDeletion>> PostgresStore::LoadPlan(int64_t org_id, int64_t job_id) {
  return db_->Transact(
      "loading a plan", [&](pqxx::transaction_base& tx) -> Result<std::vector<PlannedDeletion>> {
        ROSTER_RETURN_IF_ERROR(ReadJob(tx, org_id, job_id, false).status());
        std::vector<PlannedDeletion> plan;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT entries FROM import_plan_parts WHERE job_id = $1 ORDER BY first_user",
                 job_id)) {
          pqxx::binarystring blob(row[0]);
          ROSTER_ASSIGN_OR_RETURN(std::vector<PlannedDeletion> part,
                                  DecodePlan(std::string_view(blob.get(), blob.size())));
          plan.insert(plan.end(), part.begin(), part.end());
        }
        return plan;
      });
}

Status PostgresStore::ClaimJob(int64_t org_id, int64_t job_id, int64_t version,
                               std::string_view worker) {
  return db_->Transact("claiming an import job", [&](pqxx::transaction_base& tx) -> Status {
    // The organization's claims queue up here (across processes); then the job's row lock
    // keeps an InterruptJob or a finishing execution of this job out until the claim commits.
    tx.exec_params(kClaimLock, org_id % kLockKeys);
    ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(tx, org_id, job_id, /*for_update=*/true));
    if (job.state != JobState::kValidated && job.state != JobState::kInterrupted) {
      return JobNotClaimable(job_id, job.state);
    }
    if (job.version != version) return JobChangedMeanwhile(job_id, version, job.version);
    ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(tx, job));
    pqxx::result running = tx.exec_params(
        "SELECT id FROM import_jobs WHERE org_id = $1 AND state = 'running' LIMIT 1", org_id);
    if (!running.empty()) return OrganizationBusy(running[0][0].as<int64_t>());
    tx.exec_params(kClaimSql, std::string(worker), clock_.NowSeconds(), org_id, job_id);
    return Status::Ok();
  });
}

Status PostgresStore::EnqueueJob(int64_t org_id, int64_t job_id, int64_t version,
                                 bool delete_elearning, std::string_view confirmed_by) {
  return db_->Transact("queueing an import job", [&](pqxx::transaction_base& tx) -> Status {
    ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(tx, org_id, job_id, /*for_update=*/true));
    if (job.state != JobState::kValidated && job.state != JobState::kInterrupted) {
      return JobNotClaimable(job_id, job.state);
    }
    if (job.version != version) return JobChangedMeanwhile(job_id, version, job.version);
    ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(tx, job));
    const int64_t now = clock_.NowSeconds();
    tx.exec_params(
        "UPDATE import_jobs SET state = 'queued', delete_elearning = $1, confirmed_by = $2, "
        "queued_at = $3, error = '', updated_at = $3, version = version + 1 "
        "WHERE org_id = $4 AND id = $5",
        delete_elearning, std::string(confirmed_by), now, org_id, job_id);
    return Status::Ok();
  });
}

Result<std::optional<ImportJob>> PostgresStore::ClaimNextJob(std::string_view worker) {
  return db_->Transact(
      "claiming the next queued import job",
      [&](pqxx::transaction_base& tx) -> Result<std::optional<ImportJob>> {
        pqxx::result candidates = tx.exec_params(
            "SELECT q.id, q.org_id FROM import_jobs q WHERE " + std::string(kNextInQueue) +
                " ORDER BY q.queued_at, q.id LIMIT $1 FOR UPDATE OF q SKIP LOCKED",
            kQueueWindow);
        for (const pqxx::row& candidate : candidates) {
          const int64_t job_id = candidate[0].as<int64_t>();
          const int64_t org_id = candidate[1].as<int64_t>();
          // The organization's claim lock, as ClaimJob takes it; busy means another process is
          // claiming a job of this organization right now, so this one waits for the next round.
          if (!tx.exec_params1(kTryClaimLock, org_id % kLockKeys)[0].as<bool>()) {
            continue;
          }
          // Under the lock, a claim committed since the SELECT is visible.
          if (!tx.exec_params("SELECT 1 FROM import_jobs WHERE org_id = $1 AND state = 'running'",
                              org_id)
                   .empty()) {
            continue;
          }
          tx.exec_params(kClaimSql, std::string(worker), clock_.NowSeconds(), org_id, job_id);
          ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(tx, org_id, job_id, /*for_update=*/false));
          return std::optional<ImportJob>(std::move(job));
        }
        return std::optional<ImportJob>();
      });
}

Result<std::optional<ImportJob>> PostgresStore::ClaimNextCheck(std::string_view worker) {
  return db_->Transact(
      "claiming the next check",
      [&](pqxx::transaction_base& tx) -> Result<std::optional<ImportJob>> {
        pqxx::result next = tx.exec("SELECT q.id, q.org_id FROM import_jobs q WHERE " +
                                    std::string(kNextCheck) + " LIMIT 1 FOR UPDATE SKIP LOCKED");
        if (next.empty()) return std::optional<ImportJob>();
        const int64_t job_id = next[0][0].as<int64_t>();
        const int64_t org_id = next[0][1].as<int64_t>();
        tx.exec_params(
            "UPDATE import_jobs SET worker = $1, progress_done = 0, progress_total = 0, "
            "progress_at = $2 WHERE id = $3",
            std::string(worker), clock_.NowSeconds(), job_id);
        ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(tx, org_id, job_id, /*for_update=*/false));
        return std::optional<ImportJob>(std::move(job));
      });
}

Status PostgresStore::SaveProgress(int64_t org_id, int64_t job_id, int64_t done, int64_t total) {
  return db_->Transact(
      "publishing an import's progress", [&](pqxx::transaction_base& tx) -> Status {
        tx.exec_params(
            "UPDATE import_jobs SET progress_done = $1, progress_total = $2, progress_at = $3 "
            "WHERE org_id = $4 AND id = $5 AND state IN ('running', 'checking')",
            done, total, clock_.NowSeconds(), org_id, job_id);
        return Status::Ok();
      });
}

Result<int64_t> PostgresStore::RecoverInterruptedJobs(
    const std::function<WorkerLiveness(std::string_view worker)>& liveness) {
  return db_->Transact(
      "recovering interrupted jobs", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
        int64_t recovered = 0;
        const int64_t now = clock_.NowSeconds();
        for (const pqxx::row& row :
             tx.exec("SELECT id, worker, updated_at FROM import_jobs WHERE state = 'running'")) {
          const WorkerLiveness worker = liveness(View(row[1]));
          if (worker == WorkerLiveness::kAlive) continue;
          if (worker == WorkerLiveness::kUnknown) {
            // Another machine's worker: gone when it had time to start executing and nothing
            // executes the job now. The lock taken here keeps a late execution out until this
            // transaction has marked the job interrupted; that execution then finds it so.
            if (row[2].as<int64_t>() > now - kClaimGraceSeconds) continue;
            if (!tx.exec_params1(kTryRunLock, row[0].as<int64_t>() % kLockKeys)[0].as<bool>()) {
              continue;
            }
          }
          // Only while it is still this worker's: another process may have recovered and
          // claimed it since the SELECT.
          recovered += tx.exec_params(
                             "UPDATE import_jobs SET state = 'interrupted', worker = '', "
                             "updated_at = $1, version = version + 1 WHERE id = $2 AND "
                             "state = 'running' AND worker = $3",
                             clock_.NowSeconds(), row[0].as<int64_t>(), std::string(View(row[1])))
                           .affected_rows();
        }
        // A check whose worker is gone goes back to the queue: checking again changes nothing.
        // Another machine's check shows that it lives by publishing progress.
        for (const pqxx::row& row :
             tx.exec("SELECT id, worker, progress_at FROM import_jobs WHERE state = 'checking' "
                     "AND worker <> ''")) {
          const WorkerLiveness worker = liveness(View(row[1]));
          if (worker == WorkerLiveness::kAlive) continue;
          if (worker == WorkerLiveness::kUnknown &&
              row[2].as<int64_t>() > now - kClaimGraceSeconds) {
            continue;
          }
          recovered += tx.exec_params(
                             "UPDATE import_jobs SET worker = '' WHERE id = $1 AND "
                             "state = 'checking' AND worker = $2",
                             row[0].as<int64_t>(), std::string(View(row[1])))
                           .affected_rows();
        }
        return recovered;
      });
}

Status PostgresStore::InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) {
  return db_->Transact("interrupting an import job", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_params(
        "UPDATE import_jobs SET state = 'interrupted', worker = '', error = $1, updated_at = $2, "
        "version = version + 1 WHERE org_id = $3 AND id = $4 AND state = 'running'",
        std::string(error), clock_.NowSeconds(), org_id, job_id);
    return Status::Ok();
  });
}

Result<ImportJob> PostgresStore::RunningJob(pqxx::transaction_base& tx, int64_t org_id,
                                            int64_t job_id, const std::string& worker) {
  // The run lock first, so that what is read next is what a recoverer left.
  tx.exec_params(kRunLock, job_id % kLockKeys);
  // No row lock for the whole execution: FinishJob checks again, under the lock, at the end.
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, ReadJob(tx, org_id, job_id, /*for_update=*/false));
  if (job.state != JobState::kRunning || job.worker != worker) return NotRunningForWorker(job.id);
  ROSTER_RETURN_IF_ERROR(CheckPlanOfJob(tx, job));
  return job;
}

Status PostgresStore::FinishJob(pqxx::transaction_base& tx, const ImportJob& job,
                                const std::string& worker, const AuditEntry& audit,
                                const std::string& address_hashes, const ImportCounts& counts,
                                bool delete_elearning) {
  // Done only while the job still runs for this worker; else all of it rolls back.
  pqxx::result finished = tx.exec_params(
      "UPDATE import_jobs SET state = 'done', worker = '', upserts = NULL, "
      "plan_basis = '', head = '', counts = $1, delete_elearning = $2, updated_at = $3, "
      "decisions = $4, "
      "version = version + 1 WHERE id = $5 AND state = 'running' AND worker = $6",
      CountsToJson(counts), delete_elearning, clock_.NowSeconds(), job.decisions, job.id, worker);
  if (finished.affected_rows() != 1) return NotRunningForWorker(job.id);
  const std::string insert_audit =
      "INSERT INTO audit_events (org_id, actor, action, at, details, address_hashes) "
      "VALUES ($1, $2, $3, $4, $5, $6)";
  if (address_hashes.empty()) {
    tx.exec_params(insert_audit, job.org_id, audit.actor, audit.action, clock_.NowSeconds(),
                   audit.details, nullptr);
  } else {
    tx.exec_params(insert_audit, job.org_id, audit.actor, audit.action, clock_.NowSeconds(),
                   audit.details, Bytes(address_hashes));
  }
  // The plan, the issues and the row records named people who may be gone now, so they go too.
  for (const char* table : {"import_issues", "import_rows", "import_plan_parts"}) {
    tx.exec_params("DELETE FROM " + std::string(table) + " WHERE job_id = $1", job.id);
  }
  return Status::Ok();
}

Result<UpsertOutcome> PostgresStore::ExecuteUpsert(const UpsertRequest& request) {
  const int64_t total = static_cast<int64_t>(request.plan.size());
  Result<UpsertOutcome> executed = db_->Transact(
      "executing an add/update import", [&](pqxx::transaction_base& tx) -> Result<UpsertOutcome> {
        ROSTER_ASSIGN_OR_RETURN(ImportJob job,
                                RunningJob(tx, request.org_id, request.job_id, request.worker));
        const std::string insert_user =
            "INSERT INTO users (org_id, " + std::string(kUserFieldColumns) +
            ", created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, $14, $15, $15) ON CONFLICT (org_id, email_key) DO NOTHING RETURNING id";
        // An update applies only while the user is as planned and the new address is free.
        const std::string update_user =
            "UPDATE users SET " + postgres::UserFieldAssignments(1) +
            ", updated_at = $14 WHERE org_id = $15 AND id = $16 AND updated_at = $17 AND NOT "
            "EXISTS "
            "(SELECT 1 FROM users o WHERE o.org_id = $15 AND o.email_key = $2 AND o.id <> $16) "
            "RETURNING id";
        UpsertOutcome outcome;
        const int64_t now = clock_.NowSeconds();
        int64_t done = 0;
        for (const PlannedUpsert& entry : request.plan) {
          const User& user = entry.user;
          const auto values = postgres::UserFieldValues(user);
          auto fields = pqxx::prepare::make_dynamic_params(values);
          pqxx::result written = user.id == 0
                                     ? tx.exec_params(insert_user, request.org_id, fields, now)
                                     : tx.exec_params(update_user, fields, now, request.org_id,
                                                      user.id, entry.expected_updated_at);
          if (written.empty()) {
            ++outcome.changed_meanwhile;
            outcome.changed_rows.push_back(entry.row);
          } else {
            ++(user.id == 0 ? outcome.created : outcome.updated);
            WriteGroupsAndLink(tx, request.org_id, written[0][0].as<int64_t>(), user.groups,
                               user.email_key);
          }
          if (++done % kProgressEvery == 0 && request.progress) request.progress(done, total);
        }
        ImportCounts counts = job.counts;
        counts.created = outcome.created;
        counts.updated = outcome.updated;
        counts.already_gone = outcome.changed_meanwhile;
        ROSTER_RETURN_IF_ERROR(
            FinishJob(tx, job, request.worker, request.audit, "", counts, false));
        return outcome;
      });
  if (executed.ok() && request.progress) request.progress(total, total);
  return executed;
}

Result<std::vector<AuditEvent>> PostgresStore::ListAuditEvents(int64_t org_id, int64_t offset,
                                                               int64_t limit) {
  return db_->Transact(
      "listing audit events", [&](pqxx::transaction_base& tx) -> Result<std::vector<AuditEvent>> {
        std::vector<AuditEvent> events;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT id, actor, action, at, details, coalesce(length(address_hashes) / 16, "
                 "0) FROM audit_events WHERE org_id = $1 ORDER BY at DESC, id DESC "
                 "LIMIT $2 OFFSET $3",
                 org_id, limit, offset)) {
          events.push_back({row[0].as<int64_t>(), row[1].c_str(), row[2].c_str(),
                            row[3].as<int64_t>(), row[4].c_str(), row[5].as<int64_t>()});
        }
        return events;
      });
}

}  // namespace roster
