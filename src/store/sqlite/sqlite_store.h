#pragma once

// SqliteStore: the embedded default backend. One database file, opened in WAL mode with
// foreign keys and secure_delete on (deleted personal data is overwritten, not left in free
// pages). Several SqliteStore objects, in one process or several, may share a file; writers
// take turns (busy timeout), readers never block. Each object is used by one thread at a time.

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace roster {

class SqliteStore final : public Store {
 public:
  // The page cache of a connection, in KiB (SQLite's default is 2 MiB).
  static constexpr int kCacheKiB = 16384;

  // Opens the file at `path` and applies pending migrations. `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const Clock& clock);

  Result<Organization> CreateOrganization(const Organization& organization) override;
  Result<Organization> FindOrganization(std::string_view slug) override;
  Result<Organization> GetOrganization(int64_t org_id) override;
  Result<std::vector<Organization>> ListOrganizations() override;

  Result<User> CreateUser(int64_t org_id, const User& user) override;
  Status CreateUsers(int64_t org_id, std::span<User> users) override;
  Result<User> GetUser(int64_t org_id, int64_t user_id) override;
  Result<User> UpdateUser(int64_t org_id, const User& user) override;
  Status DeleteUser(int64_t org_id, int64_t user_id, bool delete_elearning,
                    const AuditEntry& audit) override;
  Result<UserPage> ListUsers(int64_t org_id, const UserQuery& query) override;
  Result<int64_t> CountUsers(int64_t org_id) override;
  Status ForEachUserKey(int64_t org_id, const std::function<void(const UserKey&)>& visit) override;

  Result<ElearningAccount> CreateElearningAccount(int64_t org_id,
                                                  std::string_view email_key) override;
  Result<std::vector<ElearningAccount>> CreateElearningAccounts(
      int64_t org_id, std::span<const std::string> email_keys) override;
  Result<ElearningAccount> GetElearningAccount(int64_t org_id, int64_t account_id) override;
  Result<int64_t> CountElearningAccounts(int64_t org_id) override;
  Status RecordLearning(int64_t org_id, std::span<const LearningProgress> progress,
                        std::span<const Certificate> certificates) override;
  Result<std::vector<LearningProgress>> ListProgress(int64_t org_id, int64_t account_id) override;
  Result<std::vector<Certificate>> ListCertificates(int64_t org_id, int64_t account_id) override;

  Result<Admin> CreateAdmin(const Admin& admin) override;
  Result<Admin> FindAdminByEmail(std::string_view email) override;
  Result<Admin> GetAdmin(int64_t org_id, int64_t admin_id) override;
  Result<std::vector<Admin>> ListAdmins(int64_t org_id) override;
  Status DeleteAdmin(int64_t org_id, int64_t admin_id) override;
  Status CreateSession(const AdminSession& session) override;
  Result<AdminSession> FindSession(std::string_view token_hash, int64_t now) override;
  Status DeleteSession(std::string_view token_hash) override;
  Result<int64_t> DeleteExpiredSessions(int64_t now) override;

  Result<ImportJob> CreateJob(const ImportJob& job) override;
  Result<ImportJob> GetJob(int64_t org_id, int64_t job_id) override;
  Result<std::vector<ImportJob>> ListJobs(int64_t org_id, int64_t offset, int64_t limit) override;
  Result<ImportJob> SaveJob(const ImportJob& job) override;
  Result<ImportJob> SaveFindings(const ImportJob& job, const JobFindings& findings) override;
  Result<std::vector<ImportIssue>> ListIssues(int64_t org_id, int64_t job_id, int64_t offset,
                                              int64_t limit) override;
  Result<std::map<std::string, int64_t>> CountIssues(int64_t org_id, int64_t job_id) override;
  Result<std::vector<PlannedDeletion>> LoadPlan(int64_t org_id, int64_t job_id) override;
  Result<std::vector<PlannedUpsert>> LoadUpserts(int64_t org_id, int64_t job_id) override;
  Result<std::vector<RowChunk>> LoadRows(int64_t org_id, int64_t job_id) override;
  Result<std::optional<PlanPart>> LoadPlanPart(int64_t org_id, int64_t job_id,
                                               int64_t user_id) override;
  Result<std::optional<RowChunk>> LoadRowChunk(int64_t org_id, int64_t job_id,
                                               int64_t row) override;
  Result<std::vector<ImportIssue>> ListIssuesOfRow(int64_t org_id, int64_t job_id,
                                                   int64_t row) override;
  Result<std::optional<UserKey>> FindUserKey(int64_t org_id, std::string_view key) override;
  Result<ImportJob> PatchFindings(const ImportJob& job, const FindingsPatch& patch) override;
  Result<std::optional<ImportJob>> ClaimNextCheck(std::string_view worker) override;
  Status ClaimJob(int64_t org_id, int64_t job_id, int64_t version,
                  std::string_view worker) override;
  Status EnqueueJob(int64_t org_id, int64_t job_id, int64_t version, bool delete_elearning,
                    std::string_view confirmed_by) override;
  Result<std::optional<ImportJob>> ClaimNextJob(std::string_view worker) override;
  Result<int64_t> RecoverInterruptedJobs(
      const std::function<WorkerLiveness(std::string_view worker)>& liveness) override;
  Status SaveProgress(int64_t org_id, int64_t job_id, int64_t done, int64_t total) override;
  bool ConcurrentWriters() const override { return false; }
  Status InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) override;
  Result<DeletionOutcome> ExecuteDeletion(const DeletionRequest& request) override;
  Result<UpsertOutcome> ExecuteUpsert(const UpsertRequest& request) override;

  Result<std::vector<AuditEvent>> ListAuditEvents(int64_t org_id, int64_t offset,
                                                  int64_t limit) override;

  // The schema version after migrations, for tests and `roster admin`.
  Result<int> SchemaVersion();

 private:
  Result<Organization> ReadOrganization(const sqlite::Statement& query);
  SqliteStore(std::unique_ptr<sqlite::Db> db, const Clock& clock)
      : db_(std::move(db)), clock_(clock) {}
  Status Configure();
  Status Migrate();
  // Inserts one user inside the caller's transaction and links a waiting e-learning account.
  Status InsertUser(int64_t org_id, User& user, sqlite::Statement& insert_user,
                    sqlite::Statement& insert_group, sqlite::Statement& link_account);
  Status AccountBelongsTo(int64_t org_id, int64_t account_id);
  // Writes the wizard's fields of `job` compare-and-set on job.version (Store::SaveJob),
  // inside the caller's transaction.
  Status WriteJob(const ImportJob& job);
  // The helpers below run in the caller's transaction.
  // Deletes the job's findings: issues, row records, plan.
  Status ForgetFindings(int64_t job_id);
  Status InsertIssues(int64_t job_id, std::span<const ImportIssue> issues);
  Status WriteRowChunks(int64_t job_id, std::span<const RowChunk> chunks);
  Status WritePlanParts(int64_t job_id, std::span<const PlanPart> parts);
  // kFailedPrecondition unless the job's stored plan was made from JobBasis(job).
  Status CheckPlanOfJob(const ImportJob& job);
  // Checks, inside the caller's transaction, that `job_id` runs for `worker` and that its
  // plan is of its file and settings.
  Result<ImportJob> RunningJob(int64_t org_id, int64_t job_id, const std::string& worker);
  // Records the audit entry and marks the job done with `counts`, in the caller's transaction.
  Status FinishJob(const ImportJob& job, const AuditEntry& audit, std::string_view address_hashes,
                   const ImportCounts& counts, bool delete_elearning);

  std::unique_ptr<sqlite::Db> db_;
  const Clock& clock_;
};

}  // namespace roster
