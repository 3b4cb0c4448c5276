#pragma once

// The import wizard of the web console (DESIGN.md section 1), step by step over a stored job
// and its uploaded file. Every step loads the job, changes what the admin decided, and
// stores it again compare-and-set on the version it loaded (Store::SaveJob), so the wizard
// can be resumed from another tab or after a restart, two steps at once never lose one of
// them, and whatever the HTTP layer does is only translation. A step given the version the
// admin saw (JobRef::version) is refused (kAborted) when the job changed since. A Wizard is
// used by one thread at a time (it holds one Store).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/import_job.h"
#include "core/organization.h"
#include "core/random.h"
#include "import/analysis.h"
#include "import/column_mapping.h"
#include "import/file_head.h"
#include "import/file_system.h"
#include "import/job_runner.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"
#include "store/store.h"

namespace roster::import {

// Where the files of the wizard's jobs live, under the server's data folder:
//   uploads/job-<id>-<sha256>   the uploaded spreadsheet, until the job ran or was cancelled;
//                               named after its content, so that a corrected file never
//                               takes the place of the one a running check reads
//   uploads/incoming-<random>   an upload still arriving (or refused)
//   reports/job-<id>.pending.xlsx|.csv
//                               the report of a job about to run, written before anything is
//                               deleted (Wizard::Run)
//   reports/job-<id>.xlsx|.csv  the result report of a job that ran
// The report holds the addresses of the file, like the file did; both are removed on a
// schedule (RemoveExpired) so that deleted users' data does not linger. Every operation goes
// through `file_system` (the real one unless a test gives another), which must outlive this.
// Thread-safe, as its FileSystem is.
class JobFiles {
 public:
  explicit JobFiles(std::filesystem::path root, FileSystem& file_system = DefaultFileSystem())
      : root_(std::move(root)), file_system_(&file_system) {}

  // Creates the folders, readable by this user only.
  Status Prepare() const;
  std::filesystem::path NewIncomingPath(RandomSource& random) const;
  // Where the file the job records (job.id, job.file_sha256) is kept.
  std::filesystem::path UploadOf(const ImportJob& job) const;
  std::filesystem::path ReportOf(int64_t job_id, std::string_view extension) const;
  std::filesystem::path PendingReportOf(int64_t job_id, std::string_view extension) const;
  // Removes incoming files and reports older than `max_age_seconds`, and the upload of every
  // job that has a report (it ran: its upload was left by a removal that failed); returns how
  // many.
  int64_t RemoveExpired(int64_t max_age_seconds) const;

  FileSystem& file_system() const { return *file_system_; }

 private:
  std::filesystem::path root_;
  FileSystem* file_system_;  // not owned; a pointer, so that JobFiles stays assignable
};

struct WizardColumn {
  int index = 0;  // 0 = A
  std::string header;
  std::optional<Attribute> attribute;
  bool automatic = false;  // the attribute is what the automatic mapping chose
};

// What the console shows of a job.
struct WizardView {
  ImportJob job;
  ImportDecisions decisions;
  std::optional<sheet::FileType> file_type;  // none once the upload is gone
  std::vector<sheet::SheetInfo> sheets;
  std::vector<PreviewRow> preview;    // the first rows of the job's sheet
  std::vector<WizardColumn> columns;  // the header row's columns
  std::map<std::string, int64_t> issue_counts;
  int64_t expected_rows = 0;  // what a check's progress is measured against (FileHead)
  bool report_available = false;
};

// A job as the caller last saw it: a step applies only while the job is still at `version`,
// when one is given (else to the job as it is when the step reads it). A bare id converts to
// one without a version.
struct JobRef {
  JobRef(int64_t job_id, std::optional<int64_t> seen = std::nullopt)  // NOLINT: implicit
      : id(job_id), version(seen) {}
  int64_t id = 0;
  std::optional<int64_t> version;
};

// What a check needs besides the job: where to report how far it got, and when to stop
// (keep_going answers false: the job changed, or the check was cancelled).
struct CheckControl {
  ProgressCallback progress;
  std::function<bool()> keep_going;
};
class Wizard {
 public:
  Wizard(Store& store, const Organization& organization, const JobFiles& files,
         sheet::Limits limits, RandomSource& random)
      : store_(store),
        organization_(organization),
        files_(files),
        limits_(limits),
        random_(random) {}

  // Step 4: a new job for the file at `incoming` (moved into place on success, left for the
  // caller to remove on failure), with the first sheet, header row 1 and the automatic
  // mapping, not checked yet. Fails with the reader's message when it is not a readable
  // spreadsheet; nothing is stored then. Reads only the head of the file: what is wrong
  // further down, the check finds.
  Result<ImportJob> Start(ImportMode mode, const std::filesystem::path& incoming,
                          const std::string& file_name, const std::string& actor);

  // The job as the console shows it: read from the store only (its file's head is kept with
  // it), so that views and polls cost a read of one job, whatever the file.
  Result<WizardView> View(int64_t job_id);
  // The same of a job already read (a list).
  Result<WizardView> ViewOf(ImportJob job);
  // The first rows of another sheet of the job's file (the sheet step): reads the file.
  Result<std::vector<PreviewRow>> Preview(int64_t job_id, const std::string& sheet);

  // Step 5: the sheet and header row; the mapping becomes the automatic one for that header,
  // fixes and exclusions are dropped (they named rows of the old choice). Not checked after.
  Result<ImportJob> ChooseSheet(JobRef job, const std::string& sheet, int64_t header_row);
  // Step 6: attribute key -> header as written, or nothing to remove the assignment.
  Result<ImportJob> SetMapping(
      JobRef job, const std::vector<std::pair<std::string, std::optional<std::string>>>& changes);
  // Asks for a check of the whole file: the job waits in state checking until a worker runs
  // it (Store::ClaimNextCheck, then RunCheck). A job checking already stays as it is.
  Result<ImportJob> RequestCheck(JobRef job);
  // Stops the job's check: it reads uploaded again, not checked.
  Result<ImportJob> CancelCheck(JobRef job);
  // Runs the check of a job as `job` has it (claimed by a worker, or read by Check): reads
  // the whole sheet, checks every row and saves issues, plan and counts compare-and-set on
  // job.version, so a check of a job that changed meanwhile is refused (kAborted), never
  // saved. A file that cannot be read as the job says leaves the job uploaded, with the
  // reason as its error, and the reason is returned.
  Result<ImportJob> RunCheck(const ImportJob& job, const CheckControl& control = {});
  // Checks the job now, on this thread (the command line, tests): RunCheck of the job as it
  // is read.
  Result<ImportJob> Check(JobRef job, const CheckControl& control = {});
  // Step 7. A fix, exclusion or taking back of one row of a checked delete job is applied at
  // once (ChangeOneRow); otherwise each asks for a check of the changed job.
  Result<ImportJob> Fix(JobRef job, int64_t row, const std::string& value);
  Result<ImportJob> Exclude(JobRef job, int64_t row);
  // Excludes every row with an error, as the last check found them (kFailedPrecondition
  // while the job is not checked).
  Result<ImportJob> ExcludeErrors(JobRef job);
  Result<ImportJob> Include(JobRef job, int64_t row);
  // A corrected file takes the place of the job's file (the sheet and header row are kept
  // where the new file has them, and the mapping where it has the headers), and is checked.
  Result<ImportJob> ReplaceFile(JobRef job, const std::filesystem::path& incoming,
                                const std::string& file_name);
  Result<ImportJob> Cancel(JobRef job);

  // Step 9: the admin confirms the job as they saw it (at `version`), with their choice
  // about the e-learning accounts: the job is queued for whichever server is free
  // (Store::ClaimNextJob). What may go wrong is known here, before anything runs: errors, not
  // validated, already queued or run (kFailedPrecondition), changed since `version`
  // (kAborted).
  Result<ImportJob> Confirm(int64_t job_id, int64_t version, bool delete_elearning,
                            const std::string& admin);
  // Step 10: executes a job claimed by `worker` (kFailedPrecondition, and nothing happens,
  // for any other: a job runs once), writes its report and removes the upload. The report is
  // written first, as it reads when every planned row goes as planned: when it cannot be
  // written, nothing is deleted and the job reads interrupted with the reason (kUnavailable),
  // to be run again. When the report cannot be put in place after the deletion, the deletion
  // stands and the job reads done without a report, and Run answers kUnavailable saying so
  // (docs/reliability.md, "Faults on purpose"). `progress` hears (done, total) while the plan
  // is written.
  Result<ExecutionResult> Run(int64_t job_id, const std::string& worker, const std::string& actor,
                              const ProgressCallback& progress);

 private:
  Result<ImportJob> EditableJob(JobRef job);
  Result<std::unique_ptr<sheet::WorkbookReader>> OpenUpload(const ImportJob& job);
  // Saves the job without findings, in `state` (uploaded: not checked; checking: a check is
  // asked for), with `decisions`.
  Result<ImportJob> SaveUnchecked(ImportJob job, const ImportDecisions& decisions, JobState state);
  // Changes the job's decisions; with `row`, a change of that row only (applied to the
  // findings at once where it can be: ChangeOneRow), else a check of the whole file is asked
  // for.
  Result<ImportJob> ChangeDecisions(JobRef job, std::optional<int64_t> row,
                                    const std::function<Status(ImportDecisions&)>& change);
  ImportSettings SettingsOf(const ImportJob& job, const ImportDecisions& decisions) const;
  // Reads the job's upload with what was decided about it; kFailedPrecondition when the file
  // kept is not the one the job records.
  Result<Analysis> Analyze(const ImportJob& job, const ImportDecisions& decisions,
                           const std::string& salt_hex, bool keep_rows,
                           const CheckControl& control);

  Store& store_;
  const Organization& organization_;
  const JobFiles& files_;
  sheet::Limits limits_;
  RandomSource& random_;
};

}  // namespace roster::import
