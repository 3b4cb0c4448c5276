#pragma once

// PostgresStore: the server backend, for operators who run several `roster serve` processes
// on one database. Same schema versions and the same behaviour as SqliteStore (the store
// contract suite runs on both); bulk work uses what PostgreSQL is good at: COPY into temporary
// tables, set-based statements, server-side cursors. The rules of DESIGN.md section 2 hold
// across processes: a job is claimed under a row lock and a transaction-level advisory lock on
// its organization, so it runs once and one per organization. A lost connection rolls back
// and is reported as kUnavailable; the next call connects again. Each object owns one
// connection and is used by one thread at a time; open one per thread.

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace pqxx {
class transaction_base;
}

namespace roster {

namespace postgres {
class Db;
}

class PostgresStore final : public Store {
 public:
  // Connects to `url` ("postgresql://..." or "postgres://...", handed to libpq as it is) and
  // applies pending migrations. kUnavailable when the server cannot be reached,
  // kFailedPrecondition when the schema is newer than this Roster. `clock` must outlive the
  // store.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, const Clock& clock);
  ~PostgresStore() override;

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
  bool ConcurrentWriters() const override { return true; }
  Status InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) override;
  Result<DeletionOutcome> ExecuteDeletion(const DeletionRequest& request) override;
  Result<UpsertOutcome> ExecuteUpsert(const UpsertRequest& request) override;

  Result<std::vector<AuditEvent>> ListAuditEvents(int64_t org_id, int64_t offset,
                                                  int64_t limit) override;

  // The schema version after migrations, for tests and `roster admin`.
  Result<int> SchemaVersion();

 private:
  PostgresStore(std::unique_ptr<postgres::Db> db, const Clock& clock);
  Status Migrate();

  // The helpers below run inside the caller's transaction.
  Result<Organization> ReadOrganization(pqxx::transaction_base& tx, std::string_view where,
                                        const std::string& key, const std::string& missing);
  Status InsertUsers(pqxx::transaction_base& tx, int64_t org_id, std::span<User> users);
  Result<User> ReadUser(pqxx::transaction_base& tx, int64_t org_id, int64_t user_id);
  // Replaces the groups of `user_id` with `groups` and links the account waiting for
  // `email_key`, unless the user has an account already.
  void WriteGroupsAndLink(pqxx::transaction_base& tx, int64_t org_id, int64_t user_id,
                          const std::vector<std::string>& groups, const std::string& email_key);
  Result<ImportJob> ReadJob(pqxx::transaction_base& tx, int64_t org_id, int64_t job_id,
                            bool for_update);
  // Writes the wizard's fields of `job` compare-and-set on job.version (Store::SaveJob), and
  // with `findings` its plans and JobBasis(job).
  Status WriteJob(pqxx::transaction_base& tx, const ImportJob& job, const JobFindings* findings);
  // kFailedPrecondition unless the job's stored plan was made from JobBasis(job).
  Status CheckPlanOfJob(pqxx::transaction_base& tx, const ImportJob& job);
  // Stores row record chunks (replacing those with the same first row) and plan parts
  // (FindingsPatch::plan_parts).
  void WriteRowChunks(pqxx::transaction_base& tx, int64_t job_id, std::span<const RowChunk> chunks);
  void WritePlanParts(pqxx::transaction_base& tx, int64_t job_id, std::span<const PlanPart> parts);
  // Checks that `job_id` runs for `worker` and that its plan is of its file and settings.
  Result<ImportJob> RunningJob(pqxx::transaction_base& tx, int64_t org_id, int64_t job_id,
                               const std::string& worker);
  // Records the audit entry and marks the job done with `counts` and `job.decisions`;
  // kFailedPrecondition when the job stopped running for `worker` meanwhile (interrupted, or
  // claimed again).
  Status FinishJob(pqxx::transaction_base& tx, const ImportJob& job, const std::string& worker,
                   const AuditEntry& audit, const std::string& address_hashes,
                   const ImportCounts& counts, bool delete_elearning);
  Status AccountsBelongTo(pqxx::transaction_base& tx, int64_t org_id,
                          const std::vector<int64_t>& account_ids);

  std::unique_ptr<postgres::Db> db_;
  const Clock& clock_;
};

}  // namespace roster
