#include "store/support/fault_injecting_store.h"

namespace roster::testing {

void FaultInjectingStore::Before(std::string method, int nth, std::function<Status()> hook) {
  std::lock_guard lock(mutex_);
  const int seen = calls_.contains(method) ? calls_.find(method)->second : 0;
  plans_[std::move(method)] = {seen + nth, false, std::move(hook)};
}

void FaultInjectingStore::FailFrom(std::string method, int nth, Status status) {
  std::lock_guard lock(mutex_);
  const int seen = calls_.contains(method) ? calls_.find(method)->second : 0;
  plans_[std::move(method)] = {seen + nth, true, [status] { return status; }};
}

int FaultInjectingStore::Calls(std::string_view method) const {
  std::lock_guard lock(mutex_);
  auto found = calls_.find(method);
  return found == calls_.end() ? 0 : found->second;
}

Status FaultInjectingStore::Enter(std::string_view method) {
  std::function<Status()> hook;
  {
    std::lock_guard lock(mutex_);
    auto counted = calls_.find(method);
    if (counted == calls_.end()) counted = calls_.emplace(std::string(method), 0).first;
    const int call = ++counted->second;
    auto plan = plans_.find(method);
    if (plan == plans_.end() || call < plan->second.at) return Status::Ok();
    if (!plan->second.repeat && call != plan->second.at) return Status::Ok();
    hook = plan->second.hook;
    if (!plan->second.repeat) plans_.erase(plan);
  }
  // Outside the lock: a hook may wait for another thread, or call this store.
  return hook();
}

Result<Organization> FaultInjectingStore::CreateOrganization(const Organization& organization) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateOrganization"));
  return inner_.CreateOrganization(organization);
}

Result<Organization> FaultInjectingStore::FindOrganization(std::string_view slug) {
  ROSTER_RETURN_IF_ERROR(Enter("FindOrganization"));
  return inner_.FindOrganization(slug);
}

Result<Organization> FaultInjectingStore::GetOrganization(int64_t org_id) {
  ROSTER_RETURN_IF_ERROR(Enter("GetOrganization"));
  return inner_.GetOrganization(org_id);
}

Result<std::vector<Organization>> FaultInjectingStore::ListOrganizations() {
  ROSTER_RETURN_IF_ERROR(Enter("ListOrganizations"));
  return inner_.ListOrganizations();
}

Result<User> FaultInjectingStore::CreateUser(int64_t org_id, const User& user) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateUser"));
  return inner_.CreateUser(org_id, user);
}

Status FaultInjectingStore::CreateUsers(int64_t org_id, std::span<User> users) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateUsers"));
  return inner_.CreateUsers(org_id, users);
}

Result<User> FaultInjectingStore::GetUser(int64_t org_id, int64_t user_id) {
  ROSTER_RETURN_IF_ERROR(Enter("GetUser"));
  return inner_.GetUser(org_id, user_id);
}

Result<User> FaultInjectingStore::UpdateUser(int64_t org_id, const User& user) {
  ROSTER_RETURN_IF_ERROR(Enter("UpdateUser"));
  return inner_.UpdateUser(org_id, user);
}

Status FaultInjectingStore::DeleteUser(int64_t org_id, int64_t user_id, bool delete_elearning,
                                       const AuditEntry& audit) {
  ROSTER_RETURN_IF_ERROR(Enter("DeleteUser"));
  return inner_.DeleteUser(org_id, user_id, delete_elearning, audit);
}

Result<UserPage> FaultInjectingStore::ListUsers(int64_t org_id, const UserQuery& query) {
  ROSTER_RETURN_IF_ERROR(Enter("ListUsers"));
  return inner_.ListUsers(org_id, query);
}

Result<int64_t> FaultInjectingStore::CountUsers(int64_t org_id) {
  ROSTER_RETURN_IF_ERROR(Enter("CountUsers"));
  return inner_.CountUsers(org_id);
}

Status FaultInjectingStore::ForEachUserKey(int64_t org_id,
                                           const std::function<void(const UserKey&)>& visit) {
  ROSTER_RETURN_IF_ERROR(Enter("ForEachUserKey"));
  return inner_.ForEachUserKey(org_id, visit);
}

Result<ElearningAccount> FaultInjectingStore::CreateElearningAccount(int64_t org_id,
                                                                     std::string_view email_key) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateElearningAccount"));
  return inner_.CreateElearningAccount(org_id, email_key);
}

Result<std::vector<ElearningAccount>> FaultInjectingStore::CreateElearningAccounts(
    int64_t org_id, std::span<const std::string> email_keys) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateElearningAccounts"));
  return inner_.CreateElearningAccounts(org_id, email_keys);
}

Result<ElearningAccount> FaultInjectingStore::GetElearningAccount(int64_t org_id,
                                                                  int64_t account_id) {
  ROSTER_RETURN_IF_ERROR(Enter("GetElearningAccount"));
  return inner_.GetElearningAccount(org_id, account_id);
}

Result<int64_t> FaultInjectingStore::CountElearningAccounts(int64_t org_id) {
  ROSTER_RETURN_IF_ERROR(Enter("CountElearningAccounts"));
  return inner_.CountElearningAccounts(org_id);
}

Status FaultInjectingStore::RecordLearning(int64_t org_id,
                                           std::span<const LearningProgress> progress,
                                           std::span<const Certificate> certificates) {
  ROSTER_RETURN_IF_ERROR(Enter("RecordLearning"));
  return inner_.RecordLearning(org_id, progress, certificates);
}

Result<std::vector<LearningProgress>> FaultInjectingStore::ListProgress(int64_t org_id,
                                                                        int64_t account_id) {
  ROSTER_RETURN_IF_ERROR(Enter("ListProgress"));
  return inner_.ListProgress(org_id, account_id);
}

Result<std::vector<Certificate>> FaultInjectingStore::ListCertificates(int64_t org_id,
                                                                       int64_t account_id) {
  ROSTER_RETURN_IF_ERROR(Enter("ListCertificates"));
  return inner_.ListCertificates(org_id, account_id);
}

Result<ImportJob> FaultInjectingStore::CreateJob(const ImportJob& job) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateJob"));
  return inner_.CreateJob(job);
}

Result<ImportJob> FaultInjectingStore::GetJob(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(Enter("GetJob"));
  return inner_.GetJob(org_id, job_id);
}

Result<std::vector<ImportJob>> FaultInjectingStore::ListJobs(int64_t org_id, int64_t offset,
                                                             int64_t limit) {
  ROSTER_RETURN_IF_ERROR(Enter("ListJobs"));
  return inner_.ListJobs(org_id, offset, limit);
}

Result<ImportJob> FaultInjectingStore::SaveJob(const ImportJob& job) {
  ROSTER_RETURN_IF_ERROR(Enter("SaveJob"));
  return inner_.SaveJob(job);
}

Result<ImportJob> FaultInjectingStore::SaveFindings(const ImportJob& job,
                                                    const JobFindings& findings) {
  ROSTER_RETURN_IF_ERROR(Enter("SaveFindings"));
  return inner_.SaveFindings(job, findings);
}

Result<std::vector<ImportIssue>> FaultInjectingStore::ListIssues(int64_t org_id, int64_t job_id,
                                                                 int64_t offset, int64_t limit) {
  ROSTER_RETURN_IF_ERROR(Enter("ListIssues"));
  return inner_.ListIssues(org_id, job_id, offset, limit);
}

Result<std::map<std::string, int64_t>> FaultInjectingStore::CountIssues(int64_t org_id,
                                                                        int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(Enter("CountIssues"));
  return inner_.CountIssues(org_id, job_id);
}

Result<std::vector<PlannedDeletion>> FaultInjectingStore::LoadPlan(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(Enter("LoadPlan"));
  return inner_.LoadPlan(org_id, job_id);
}

Result<std::vector<PlannedUpsert>> FaultInjectingStore::LoadUpserts(int64_t org_id,
                                                                    int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(Enter("LoadUpserts"));
  return inner_.LoadUpserts(org_id, job_id);
}

Result<std::vector<RowChunk>> FaultInjectingStore::LoadRows(int64_t org_id, int64_t job_id) {
  ROSTER_RETURN_IF_ERROR(Enter("LoadRows"));
  return inner_.LoadRows(org_id, job_id);
}

Result<std::optional<PlanPart>> FaultInjectingStore::LoadPlanPart(int64_t org_id, int64_t job_id,
                                                                  int64_t user_id) {
  ROSTER_RETURN_IF_ERROR(Enter("LoadPlanPart"));
  return inner_.LoadPlanPart(org_id, job_id, user_id);
}

Result<std::optional<RowChunk>> FaultInjectingStore::LoadRowChunk(int64_t org_id, int64_t job_id,
                                                                  int64_t row) {
  ROSTER_RETURN_IF_ERROR(Enter("LoadRowChunk"));
  return inner_.LoadRowChunk(org_id, job_id, row);
}

Result<std::vector<ImportIssue>> FaultInjectingStore::ListIssuesOfRow(int64_t org_id,
                                                                      int64_t job_id, int64_t row) {
  ROSTER_RETURN_IF_ERROR(Enter("ListIssuesOfRow"));
  return inner_.ListIssuesOfRow(org_id, job_id, row);
}

Result<std::optional<UserKey>> FaultInjectingStore::FindUserKey(int64_t org_id,
                                                                std::string_view key) {
  ROSTER_RETURN_IF_ERROR(Enter("FindUserKey"));
  return inner_.FindUserKey(org_id, key);
}

Result<ImportJob> FaultInjectingStore::PatchFindings(const ImportJob& job,
                                                     const FindingsPatch& patch) {
  ROSTER_RETURN_IF_ERROR(Enter("PatchFindings"));
  return inner_.PatchFindings(job, patch);
}

Result<std::optional<ImportJob>> FaultInjectingStore::ClaimNextCheck(std::string_view worker) {
  ROSTER_RETURN_IF_ERROR(Enter("ClaimNextCheck"));
  return inner_.ClaimNextCheck(worker);
}

Status FaultInjectingStore::ClaimJob(int64_t org_id, int64_t job_id, int64_t version,
                                     std::string_view worker) {
  ROSTER_RETURN_IF_ERROR(Enter("ClaimJob"));
  return inner_.ClaimJob(org_id, job_id, version, worker);
}

Status FaultInjectingStore::EnqueueJob(int64_t org_id, int64_t job_id, int64_t version,
                                       bool delete_elearning, std::string_view confirmed_by) {
  ROSTER_RETURN_IF_ERROR(Enter("EnqueueJob"));
  return inner_.EnqueueJob(org_id, job_id, version, delete_elearning, confirmed_by);
}

Result<std::optional<ImportJob>> FaultInjectingStore::ClaimNextJob(std::string_view worker) {
  ROSTER_RETURN_IF_ERROR(Enter("ClaimNextJob"));
  return inner_.ClaimNextJob(worker);
}

Result<int64_t> FaultInjectingStore::RecoverInterruptedJobs(
    const std::function<WorkerLiveness(std::string_view worker)>& liveness) {
  ROSTER_RETURN_IF_ERROR(Enter("RecoverInterruptedJobs"));
  return inner_.RecoverInterruptedJobs(liveness);
}

Status FaultInjectingStore::SaveProgress(int64_t org_id, int64_t job_id, int64_t done,
                                         int64_t total) {
  ROSTER_RETURN_IF_ERROR(Enter("SaveProgress"));
  return inner_.SaveProgress(org_id, job_id, done, total);
}

Status FaultInjectingStore::InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) {
  ROSTER_RETURN_IF_ERROR(Enter("InterruptJob"));
  return inner_.InterruptJob(org_id, job_id, error);
}

Result<DeletionOutcome> FaultInjectingStore::ExecuteDeletion(const DeletionRequest& request) {
  ROSTER_RETURN_IF_ERROR(Enter("ExecuteDeletion"));
  return inner_.ExecuteDeletion(request);
}

Result<UpsertOutcome> FaultInjectingStore::ExecuteUpsert(const UpsertRequest& request) {
  ROSTER_RETURN_IF_ERROR(Enter("ExecuteUpsert"));
  return inner_.ExecuteUpsert(request);
}

Result<Admin> FaultInjectingStore::CreateAdmin(const Admin& admin) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateAdmin"));
  return inner_.CreateAdmin(admin);
}

Result<Admin> FaultInjectingStore::FindAdminByEmail(std::string_view email) {
  ROSTER_RETURN_IF_ERROR(Enter("FindAdminByEmail"));
  return inner_.FindAdminByEmail(email);
}

Result<Admin> FaultInjectingStore::GetAdmin(int64_t org_id, int64_t admin_id) {
  ROSTER_RETURN_IF_ERROR(Enter("GetAdmin"));
  return inner_.GetAdmin(org_id, admin_id);
}

Result<std::vector<Admin>> FaultInjectingStore::ListAdmins(int64_t org_id) {
  ROSTER_RETURN_IF_ERROR(Enter("ListAdmins"));
  return inner_.ListAdmins(org_id);
}

Status FaultInjectingStore::DeleteAdmin(int64_t org_id, int64_t admin_id) {
  ROSTER_RETURN_IF_ERROR(Enter("DeleteAdmin"));
  return inner_.DeleteAdmin(org_id, admin_id);
}

Status FaultInjectingStore::CreateSession(const AdminSession& session) {
  ROSTER_RETURN_IF_ERROR(Enter("CreateSession"));
  return inner_.CreateSession(session);
}

Result<AdminSession> FaultInjectingStore::FindSession(std::string_view token_hash, int64_t now) {
  ROSTER_RETURN_IF_ERROR(Enter("FindSession"));
  return inner_.FindSession(token_hash, now);
}

Status FaultInjectingStore::DeleteSession(std::string_view token_hash) {
  ROSTER_RETURN_IF_ERROR(Enter("DeleteSession"));
  return inner_.DeleteSession(token_hash);
}

Result<int64_t> FaultInjectingStore::DeleteExpiredSessions(int64_t now) {
  ROSTER_RETURN_IF_ERROR(Enter("DeleteExpiredSessions"));
  return inner_.DeleteExpiredSessions(now);
}

Result<std::vector<AuditEvent>> FaultInjectingStore::ListAuditEvents(int64_t org_id, int64_t offset,
                                                                     int64_t limit) {
  ROSTER_RETURN_IF_ERROR(Enter("ListAuditEvents"));
  return inner_.ListAuditEvents(org_id, offset, limit);
}

}  // namespace roster::testing
