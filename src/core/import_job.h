#pragma once

// ImportJob: one upload of a spreadsheet and everything decided about it, stored so that the
// wizard can be resumed and a job executes at most once. States:
//   uploaded -> checking -> mapped | validated -> queued -> running -> done | interrupted
// and back from mapped or validated to uploaded or checking while the admin changes the job;
// interrupted -> queued again; any state before queued -> cancelled (DESIGN.md section 3).
// Every change of a stored job is compare-and-set on its version (ImportJob::version).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/user.h"

namespace roster {

enum class ImportMode { kDelete, kAddUpdate };
// kAll...: every value of the enum just above, in declaration order (here and below), for what
// lists them all (the console's generated types, src/json/api_tables.h);
// tests/json/api_tables_test.cc fails to build or pass while one misses an enumerator.
inline constexpr std::array kAllImportModes{ImportMode::kDelete, ImportMode::kAddUpdate};
enum class JobState {
  kUploaded,
  kChecking,  // its check waits for a worker or runs (Store::ClaimNextCheck)
  kMapped,
  kValidated,
  kQueued,  // confirmed, waiting for a server to pick it (DESIGN.md section 3)
  kRunning,
  kDone,
  kFailed,
  kInterrupted,
  kCancelled
};
inline constexpr std::array kAllJobStates{
    JobState::kUploaded,    JobState::kChecking, JobState::kMapped, JobState::kValidated,
    JobState::kQueued,      JobState::kRunning,  JobState::kDone,   JobState::kFailed,
    JobState::kInterrupted, JobState::kCancelled};

// The codes of DESIGN.md section 4; each comes with a message that says how to fix it.
enum class IssueCode {
  kInvalidEmail,
  kMissingEmail,
  kDuplicateEmail,  // a warning in delete mode (the user is deleted once), an error otherwise
  kNotFound,
  kDomainNotAllowed,
  kMissingRequired,
  kInvalidValue,
  kColumnNotMapped,
  kCellTooLong,
  kOwnAddress,  // delete mode: the admin who runs the import names their own address
};
inline constexpr std::array kAllIssueCodes{
    IssueCode::kInvalidEmail, IssueCode::kMissingEmail,     IssueCode::kDuplicateEmail,
    IssueCode::kNotFound,     IssueCode::kDomainNotAllowed, IssueCode::kMissingRequired,
    IssueCode::kInvalidValue, IssueCode::kColumnNotMapped,  IssueCode::kCellTooLong,
    IssueCode::kOwnAddress};

enum class Severity { kError, kWarning };
inline constexpr std::array kAllSeverities{Severity::kError, Severity::kWarning};

// One finding about one row: data, not an error (STYLE.md rule 4).
struct ImportIssue {
  int64_t row = 0;     // as the spreadsheet shows it; 0 for the whole file
  std::string column;  // the header of the column at fault ("E-Mail"), or empty
  std::string value;   // as written
  IssueCode code = IssueCode::kInvalidEmail;
  Severity severity = Severity::kError;
  std::string message;
  std::optional<std::string> suggestion;
};

// What the summary shows; also what an executed job reports.
struct ImportCounts {
  int64_t rows = 0;  // data rows below the header, empty ones included
  int64_t empty_rows = 0;
  int64_t excluded_rows = 0;
  int64_t duplicates = 0;  // rows naming a user another row names already
  int64_t errors = 0;      // rows with an unresolved error
  int64_t warnings = 0;
  // Delete mode:
  int64_t to_delete = 0;
  int64_t elearning_linked = 0;  // of to_delete, how many have a linked e-learning account
  // Add/update mode:
  int64_t to_create = 0;
  int64_t to_update = 0;
  int64_t unchanged = 0;
  // After execution:
  int64_t deleted = 0;
  int64_t elearning_deleted = 0;
  int64_t elearning_unlinked = 0;
  int64_t already_gone = 0;  // planned users deleted or changed since the plan
  int64_t created = 0;
  int64_t updated = 0;
};

// A job as stored. The mapping is attribute key -> header as written; `decisions` holds the
// admin's fixes and exclusions as the import layer serializes them (opaque to the store).
struct ImportJob {
  int64_t id = 0;
  int64_t org_id = 0;
  ImportMode mode = ImportMode::kDelete;
  JobState state = JobState::kUploaded;
  std::string actor;      // who started it: an admin's address or "cli:<user>"
  std::string file_name;  // as uploaded
  std::string file_sha256;
  int64_t file_size = 0;
  std::string sheet;
  int64_t header_row = 1;
  std::map<std::string, std::string> mapping;
  std::string decisions;
  // What the wizard shows of the file (its type, sheets, first rows, header cells), as the
  // import layer serializes it (opaque to the store); empty once the job is over, since it
  // holds the addresses of the file's first rows.
  std::string head;
  bool delete_elearning = false;
  ImportCounts counts;
  std::string worker;  // the process executing it, while running
  std::string error;   // why it failed
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string confirmed_by;  // the admin who confirmed the execution (the audit's actor)
  int64_t queued_at = 0;     // when it was confirmed
  // How far its execution got, as the executing server last published it (on backends that
  // several servers share; -1 total while the file is read again).
  int64_t progress_done = 0;
  int64_t progress_total = 0;
  // The compare-and-set token: every write of the job makes it one more, and a write that
  // carries an older version is refused (kAborted), so work computed from a job as it was is
  // never saved over what changed since. 0 for a job not stored yet.
  int64_t version = 0;
};

// What a job's findings (issues, counts, plan) are computed from: the file's SHA-256 and every
// setting the analysis reads (mode, sheet, header row, mapping, decisions). Stored beside the
// plan; an execution refuses a plan whose basis is not its job's.
std::string JobBasis(const ImportJob& job);

// Why a compare-and-set write of job `job_id` that read `version` is refused: the job is at
// `current` now (kAborted).
Status JobChangedMeanwhile(int64_t job_id, int64_t version, int64_t current);

// One user a delete plan will delete: by id, and only while the user's matching key still
// hashes to key_hash (KeyHash in core/key_hash.h), so a user whose address changed after the
// plan was made is left alone and counted as changed.
struct PlannedDeletion {
  int64_t user_id = 0;
  uint64_t key_hash = 0;
  int64_t row = 0;  // the spreadsheet row that named the user
  // The salted hash the audit log keeps of the address, never the address itself.
  std::array<uint8_t, 16> audit_hash{};
};

// One user an add/update plan writes: a new user (id 0), or an update of user `user.id` that
// applies only while the user's updated_at is still `expected_updated_at` (else the user was
// changed meanwhile and is counted, not overwritten).
struct PlannedUpsert {
  User user;
  int64_t expected_updated_at = 0;
  int64_t row = 0;
};

// A run of consecutive data rows' records (what became of each row, for the result report),
// as the import layer encodes them; opaque to the store, which keeps them with their job.
struct RowChunk {
  int64_t first_row = 0;
  std::string data;
};

std::string_view ImportModeName(ImportMode mode);  // "delete", "add-update"
std::optional<ImportMode> ImportModeFromName(std::string_view name);
std::string_view JobStateName(JobState state);  // "validated", ...
std::optional<JobState> JobStateFromName(std::string_view name);
std::string_view IssueCodeName(IssueCode code);  // "not_found", ...
std::optional<IssueCode> IssueCodeFromName(std::string_view name);
std::string_view SeverityName(Severity severity);  // "error", "warning"

}  // namespace roster
