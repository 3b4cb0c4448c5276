#pragma once

// FaultInjectingStore: a Store that forwards every call to another one, and before a chosen
// call of a chosen method runs a hook of the test's, as LevelDB's fault-injecting Env does
// for files. The hook may pause (wait for another thread), change the database through
// another Store (an interleaving, deterministic on one thread), or fail the call with the
// Status it returns instead of forwarding it. So the error branches of the import layer and
// the interleavings of two admins (or an admin and a check) are tested on purpose, against
// either backend.
//
// Thread-safety: as any Store, used by one thread at a time; hooks run on that thread.
// `inner` must outlive it.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "store/store.h"

namespace roster::testing {

class FaultInjectingStore final : public Store {
 public:
  explicit FaultInjectingStore(Store& inner) : inner_(inner) {}

  // Before the `nth` call (1-based, counted from now) of `method` ("SaveFindings"), runs
  // `hook`; an error it returns is that call's answer (nothing is forwarded). One hook per
  // method; it runs once.
  void Before(std::string method, int nth, std::function<Status()> hook);
  // Every call of `method` from the `nth` on fails with `status`.
  void FailFrom(std::string method, int nth, Status status);
  // How many times `method` was called.
  int Calls(std::string_view method) const;

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
  bool ConcurrentWriters() const override { return inner_.ConcurrentWriters(); }
  Status InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) override;
  Result<DeletionOutcome> ExecuteDeletion(const DeletionRequest& request) override;
  Result<UpsertOutcome> ExecuteUpsert(const UpsertRequest& request) override;
  Result<Admin> CreateAdmin(const Admin& admin) override;
  Result<Admin> FindAdminByEmail(std::string_view email) override;
  Result<Admin> GetAdmin(int64_t org_id, int64_t admin_id) override;
  Result<std::vector<Admin>> ListAdmins(int64_t org_id) override;
  Status DeleteAdmin(int64_t org_id, int64_t admin_id) override;
  Status CreateSession(const AdminSession& session) override;
  Result<AdminSession> FindSession(std::string_view token_hash, int64_t now) override;
  Status DeleteSession(std::string_view token_hash) override;
  Result<int64_t> DeleteExpiredSessions(int64_t now) override;
  Result<std::vector<AuditEvent>> ListAuditEvents(int64_t org_id, int64_t offset,
                                                  int64_t limit) override;

 private:
  // Counts the call and runs what is planned for it.
  Status Enter(std::string_view method);

  struct Plan {
    int at = 0;  // the call the plan is for, counted over all calls of the method
    bool repeat = false;
    std::function<Status()> hook;
  };

  Store& inner_;
  mutable std::mutex mutex_;
  std::map<std::string, int, std::less<>> calls_;
  std::map<std::string, Plan, std::less<>> plans_;
};

}  // namespace roster::testing
