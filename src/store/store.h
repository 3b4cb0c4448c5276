#pragma once

// Store: everything Roster keeps, behind one interface with two backends (SqliteStore, the
// embedded default, and PostgresStore; OpenStore in store/backends/open_store.h picks one from a
// URL, so that code over this interface links neither SQLite nor libpq). Every operation on
// users, accounts and jobs is scoped by organization: an id of another organization behaves
// exactly like an id that does not exist (kNotFound), so tenants cannot learn of each other.
//
// Thread-safety: a Store object is used by one thread at a time; open one per thread
// (backends share the database safely between Store objects and processes).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/admin.h"
#include "core/clock.h"
#include "core/elearning_account.h"
#include "core/import_job.h"
#include "core/organization.h"
#include "core/result.h"
#include "core/user.h"

namespace roster {

// Columns the user list can be sorted by.
enum class UserSort { kEmail, kFirstName, kLastName, kDepartment, kLocation, kCreatedAt, kId };

// "email", "first_name", ...; nothing for an unknown name.
std::optional<UserSort> UserSortFromName(std::string_view name);

struct UserQuery {
  std::string search;  // matched, case-insensitively, inside email, first and last name
  UserSort sort = UserSort::kEmail;
  bool descending = false;
  int64_t limit = 50;
  int64_t offset = 0;
};

struct UserListEntry {
  User user;
  std::optional<int64_t> elearning_account_id;  // the linked account, if any
};

struct UserPage {
  int64_t total = 0;  // users matching the search, over all pages
  std::vector<UserListEntry> users;
};

// What the import pipeline needs to match an address: who has it, and whether an e-learning
// account is linked.
struct UserKey {
  int64_t user_id = 0;
  std::string email_key;
  bool has_elearning = false;
};

// Called now and then during long work with how much is done out of how much.
using ProgressCallback = std::function<void(int64_t done, int64_t total)>;

// What a check found, saved with its job (Store::SaveFindings) so that the steps after it and
// the execution read the job, never the file again.
struct JobFindings {
  std::span<const ImportIssue> issues;         // errors and warnings, in row order
  std::span<const PlannedDeletion> deletions;  // delete mode: the plan
  std::span<const PlannedUpsert> upserts;      // add/update mode: the plan
  std::span<const RowChunk> rows;              // what became of each row, for the report
};

// A part of a delete plan as the store keeps it: the entries of neighbouring users (sorted by
// user id, at most kPlanPartEntries when a check writes them), named by the first user id, so
// that changing one row's entry (a fix) rewrites one part, not a plan of a million entries.
inline constexpr size_t kPlanPartEntries = 4'096;
struct PlanPart {
  int64_t first_user = 0;
  std::vector<PlannedDeletion> entries;
};

// A change of the findings of a few rows (Store::PatchFindings), made without a check of the
// file.
struct FindingsPatch {
  std::vector<int64_t> rows;         // rows whose issues are replaced by theirs in `issues`
  std::vector<ImportIssue> issues;   // the new issues of those rows (only of those rows)
  std::vector<RowChunk> row_chunks;  // replace the stored chunks that start at the same rows
  // Plan parts replaced: the part stored under `first_user` now holds `entries` (under their
  // first user id; no entries: the part goes).
  std::vector<PlanPart> plan_parts;
};

// What the audit log records of one execution: counts and digests, never addresses.
struct AuditEntry {
  std::string actor;
  std::string action;   // "import.delete", ...
  std::string details;  // JSON: counts, file name and SHA-256, the salt of the address hashes
};

struct AuditEvent {
  int64_t id = 0;
  std::string actor;
  std::string action;
  int64_t at = 0;
  std::string details;
  int64_t address_hash_count = 0;  // salted 16-byte hashes of the deleted addresses
};

struct DeletionRequest {
  int64_t org_id = 0;
  int64_t job_id = 0;
  std::string worker;  // must be the worker that claimed the job
  std::span<const PlannedDeletion> plan;
  bool delete_elearning = false;
  AuditEntry audit;
  ProgressCallback progress;
  // The decisions the job keeps once done, written in the same transaction (the import
  // layer drops the addresses an admin typed: they name users who are gone now). Empty: the
  // decisions stay as they are.
  std::string decisions_after;
};

struct UpsertRequest {
  int64_t org_id = 0;
  int64_t job_id = 0;
  std::string worker;
  std::span<const PlannedUpsert> plan;
  AuditEntry audit;
  ProgressCallback progress;
};

struct UpsertOutcome {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t changed_meanwhile = 0;  // created or changed by someone else since the plan
  std::vector<int64_t> changed_rows;
};

struct DeletionOutcome {
  int64_t deleted = 0;
  int64_t already_gone = 0;  // deleted or changed since the plan was made
  int64_t elearning_deleted = 0;
  int64_t elearning_unlinked = 0;
  std::vector<int64_t> gone_rows;  // the plan rows of the users counted in already_gone
};

// What a process can tell about the worker that runs a job (see RecoverInterruptedJobs).
enum class WorkerLiveness { kAlive, kGone, kUnknown };

// How long a job claimed by a worker of another machine may go before its execution's
// transaction starts; after that, no lock means no worker. A check of another machine's worker
// is taken as gone when it published no progress for as long.
inline constexpr int64_t kClaimGraceSeconds = 120;

class Store {
 public:
  virtual ~Store() = default;

  // --- Organizations
  // Fails with kAlreadyExists when the slug is taken. Domains must already be normalized.
  virtual Result<Organization> CreateOrganization(const Organization& organization) = 0;
  virtual Result<Organization> FindOrganization(std::string_view slug) = 0;
  virtual Result<Organization> GetOrganization(int64_t org_id) = 0;
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;

  // --- Users
  // Adds one user; email_key must be set. kAlreadyExists when the organization has a user
  // with that key. A matching unlinked e-learning account is linked to the new user.
  virtual Result<User> CreateUser(int64_t org_id, const User& user) = 0;
  // Adds many users in one transaction (all or none); assigns ids and timestamps in `users`.
  virtual Status CreateUsers(int64_t org_id, std::span<User> users) = 0;
  virtual Result<User> GetUser(int64_t org_id, int64_t user_id) = 0;
  // Writes every attribute of the user `user.id` (email and email_key included; groups are
  // replaced). kNotFound for another organization's user, kAlreadyExists when the new key
  // belongs to another user.
  virtual Result<User> UpdateUser(int64_t org_id, const User& user) = 0;
  // Deletes one user; its e-learning account is deleted too or left unlinked. Records `audit`
  // in the same transaction, unless its action is empty.
  virtual Status DeleteUser(int64_t org_id, int64_t user_id, bool delete_elearning,
                            const AuditEntry& audit) = 0;
  virtual Result<UserPage> ListUsers(int64_t org_id, const UserQuery& query) = 0;
  virtual Result<int64_t> CountUsers(int64_t org_id) = 0;
  // Calls `visit` for every user of the organization, in no particular order, without loading
  // them all.
  virtual Status ForEachUserKey(int64_t org_id,
                                const std::function<void(const UserKey&)>& visit) = 0;

  // --- E-learning accounts
  // What the e-learning platform calls when an employee registers: creates the account for
  // `email_key` and links it to the user with that key, if there is one.
  // kAlreadyExists when the organization has an account for that key.
  virtual Result<ElearningAccount> CreateElearningAccount(int64_t org_id,
                                                          std::string_view email_key) = 0;
  // The same for many keys in one transaction (all or none), in the order given.
  virtual Result<std::vector<ElearningAccount>> CreateElearningAccounts(
      int64_t org_id, std::span<const std::string> email_keys) = 0;
  virtual Result<ElearningAccount> GetElearningAccount(int64_t org_id, int64_t account_id) = 0;
  virtual Result<int64_t> CountElearningAccounts(int64_t org_id) = 0;
  // Records (or updates) progress and certificates of the organization's accounts, in one
  // transaction; kNotFound, and nothing recorded, when an account is not the organization's.
  virtual Status RecordLearning(int64_t org_id, std::span<const LearningProgress> progress,
                                std::span<const Certificate> certificates) = 0;
  virtual Result<std::vector<LearningProgress>> ListProgress(int64_t org_id,
                                                             int64_t account_id) = 0;
  virtual Result<std::vector<Certificate>> ListCertificates(int64_t org_id, int64_t account_id) = 0;

  // --- Import jobs
  // Every write of a job is compare-and-set: it applies only while the stored job is still at
  // the version the caller read (ImportJob::version), makes the version one more, and
  // otherwise changes nothing and fails with kAborted ("changed meanwhile"). Work computed
  // from a job as it was (a check that took seconds, a plan shown to an admin) is so never
  // saved over what changed since.
  //
  // Stores a new job (id and timestamps assigned, version 1) in the state it has.
  virtual Result<ImportJob> CreateJob(const ImportJob& job) = 0;
  virtual Result<ImportJob> GetJob(int64_t org_id, int64_t job_id) = 0;
  // The organization's jobs, newest first.
  virtual Result<std::vector<ImportJob>> ListJobs(int64_t org_id, int64_t offset,
                                                  int64_t limit) = 0;
  // Saves what the wizard decided (the file, when a corrected one replaced it; sheet, header
  // row, mapping, decisions, counts, state, error) of a job that has not been confirmed, at
  // job.version; returns the job as stored. A saved job is no worker's: a check that had
  // claimed it finds it changed. kFailedPrecondition once it was confirmed or ran; kAborted
  // when it changed since job.version. Its issues and plan stay (with the basis they were made
  // from).
  virtual Result<ImportJob> SaveJob(const ImportJob& job) = 0;
  // SaveJob, and in the same transaction replaces the job's findings (issues, plan, row
  // records), recording that they were made from JobBasis(job). All of them go in the
  // transaction that executes the job (and with a cancellation), since they name people.
  virtual Result<ImportJob> SaveFindings(const ImportJob& job, const JobFindings& findings) = 0;
  virtual Result<std::vector<ImportIssue>> ListIssues(int64_t org_id, int64_t job_id,
                                                      int64_t offset, int64_t limit) = 0;
  // How many issues of each code the job has ("not_found" -> 3).
  virtual Result<std::map<std::string, int64_t>> CountIssues(int64_t org_id, int64_t job_id) = 0;
  // The whole delete plan, sorted by user id.
  virtual Result<std::vector<PlannedDeletion>> LoadPlan(int64_t org_id, int64_t job_id) = 0;
  virtual Result<std::vector<PlannedUpsert>> LoadUpserts(int64_t org_id, int64_t job_id) = 0;
  // The row records of the job's last check, in row order.
  virtual Result<std::vector<RowChunk>> LoadRows(int64_t org_id, int64_t job_id) = 0;

  // --- A change of one row's findings, without a check of the file (a fix, an exclusion)
  // The part of the delete plan where `user_id`'s entry is or would go: the last part whose
  // first user id is at most `user_id`, else the first; nullopt when the plan is empty.
  virtual Result<std::optional<PlanPart>> LoadPlanPart(int64_t org_id, int64_t job_id,
                                                       int64_t user_id) = 0;
  // The stored chunk of row records that holds `row`; nullopt when none does.
  virtual Result<std::optional<RowChunk>> LoadRowChunk(int64_t org_id, int64_t job_id,
                                                       int64_t row) = 0;
  // The issues of one row, in order.
  virtual Result<std::vector<ImportIssue>> ListIssuesOfRow(int64_t org_id, int64_t job_id,
                                                           int64_t row) = 0;
  // The organization's user with the matching key `key`; nullopt when there is none.
  virtual Result<std::optional<UserKey>> FindUserKey(int64_t org_id, std::string_view key) = 0;
  // SaveJob (compare-and-set), and in the same transaction changes the findings as `patch`
  // says and records that they are made from JobBasis(job) now.
  virtual Result<ImportJob> PatchFindings(const ImportJob& job, const FindingsPatch& patch) = 0;
  // Claims for `worker` the job that has waited longest in state checking without a worker;
  // nullopt when there is none. Processes sharing the database each get a different job.
  // Claiming (and recovery giving a check back) leaves the version as it is: it changes
  // nothing the admin decided, so a client's version stays good while the job is checked;
  // two workers that ran the check of one version would save the same findings, and only the
  // first save succeeds.
  virtual Result<std::optional<ImportJob>> ClaimNextCheck(std::string_view worker) = 0;
  // Moves a validated or interrupted job, still at `version`, to running, owned by `worker`.
  // kFailedPrecondition when the job is in any other state (it ran, or runs) or its plan was
  // not made from its current file and settings; kAborted when it changed since `version` or
  // another job of the organization is running (one writer per organization).
  virtual Status ClaimJob(int64_t org_id, int64_t job_id, int64_t version,
                          std::string_view worker) = 0;
  // Confirms a validated or interrupted job that is still at `version` (the one the admin
  // saw): it waits queued, with the cascade choice and who confirmed it, until a server claims
  // it with ClaimNextJob. kFailedPrecondition in any other state (so a job confirmed twice,
  // from two tabs or two servers, is queued once) or when its plan was not made from its
  // current file and settings; kAborted when it changed since `version`.
  virtual Status EnqueueJob(int64_t org_id, int64_t job_id, int64_t version, bool delete_elearning,
                            std::string_view confirmed_by) = 0;
  // Claims for `worker` the oldest queued job of an organization that runs no other job (it
  // becomes running); nullopt when there is none. Processes sharing the database each get a
  // different job (on PostgreSQL: FOR UPDATE SKIP LOCKED), and never two of one organization.
  virtual Result<std::optional<ImportJob>> ClaimNextJob(std::string_view worker) = 0;
  // Marks running jobs whose worker is gone as interrupted, and gives checks whose worker is
  // gone back to the queue; returns how many jobs it changed. `liveness` answers for workers
  // of this machine; of a worker it cannot tell about (another machine's), SQLite assumes it
  // is alive (its file is not shared between machines), and PostgreSQL takes it as gone when
  // its job was claimed more than kClaimGraceSeconds ago and no transaction executes it (an
  // execution holds the job's advisory lock until it ends; the database ends the sessions of
  // a vanished machine after its TCP keepalives fail), or, for a check, when the check has
  // published no progress for kClaimGraceSeconds.
  virtual Result<int64_t> RecoverInterruptedJobs(
      const std::function<WorkerLiveness(std::string_view worker)>& liveness) = 0;
  // Publishes how far the running job or check got (done of total; a total of 0 or less when
  // it is not known), so that any server can show it; does not change the job's version.
  // Only where ConcurrentWriters(): on SQLite an execution holds the only write lock until it
  // ends.
  virtual Status SaveProgress(int64_t org_id, int64_t job_id, int64_t done, int64_t total) = 0;
  // True when other connections can write while an execution runs (PostgreSQL).
  virtual bool ConcurrentWriters() const = 0;
  // Gives up a running job after a failure: it reads interrupted, with the reason, and can be
  // claimed again (nothing of it was committed).
  virtual Status InterruptJob(int64_t org_id, int64_t job_id, std::string_view error) = 0;
  // Executes a claimed delete job in one transaction: deletes the planned users whose key is
  // unchanged, with their e-learning accounts or unlinking them, records the audit entry and
  // marks the job done with its counts. All or nothing: on any failure nothing changed and the
  // job is still running (then interrupted, once its worker is gone). kFailedPrecondition,
  // and nothing changed, when the stored plan was not made from the job's file and settings.
  virtual Result<DeletionOutcome> ExecuteDeletion(const DeletionRequest& request) = 0;

  // Executes a claimed add/update job in one transaction, like ExecuteDeletion: creates and
  // updates the planned users (an update only while the user is as planned), links waiting
  // e-learning accounts, records the audit entry and marks the job done.
  virtual Result<UpsertOutcome> ExecuteUpsert(const UpsertRequest& request) = 0;

  // --- Admins and their sessions
  // kAlreadyExists when the address is an admin's already (of any organization: an address
  // signs in to one organization).
  virtual Result<Admin> CreateAdmin(const Admin& admin) = 0;
  // By normalized address, over all organizations (signing in); kNotFound when none.
  virtual Result<Admin> FindAdminByEmail(std::string_view email) = 0;
  virtual Result<Admin> GetAdmin(int64_t org_id, int64_t admin_id) = 0;
  virtual Result<std::vector<Admin>> ListAdmins(int64_t org_id) = 0;
  // Deletes the admin and their sessions.
  virtual Status DeleteAdmin(int64_t org_id, int64_t admin_id) = 0;
  virtual Status CreateSession(const AdminSession& session) = 0;
  // kNotFound when there is no such session or it expired before `now`.
  virtual Result<AdminSession> FindSession(std::string_view token_hash, int64_t now) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  // Forgets sessions that expired before `now`; returns how many.
  virtual Result<int64_t> DeleteExpiredSessions(int64_t now) = 0;

  // --- Audit, newest first
  virtual Result<std::vector<AuditEvent>> ListAuditEvents(int64_t org_id, int64_t offset,
                                                          int64_t limit) = 0;
};

}  // namespace roster
