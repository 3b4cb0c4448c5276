#pragma once

// The import wizard of the web console (DESIGN.md section 1), step by step over a stored job
// and its uploaded file. Every step loads the job, changes what the admin decided, and
// stores it again, so the wizard can be resumed from another tab or after a restart, and
// whatever the HTTP layer does is only translation. A Wizard is used by one thread at a time
// (it holds one Store).

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
#include "import/job_runner.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"
#include "store/store.h"

namespace roster::import {

// Where the files of the wizard's jobs live, under the server's data folder:
//   uploads/job-<id>            the uploaded spreadsheet, until the job ran or was cancelled
//   uploads/incoming-<random>   an upload still arriving (or refused)
//   reports/job-<id>.xlsx|.csv  the result report of a job that ran
// The report holds the addresses of the file, like the file did; both are removed on a
// schedule (RemoveExpired) so that deleted users' data does not linger.
class JobFiles {
 public:
  explicit JobFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // Creates the folders, readable by this user only.
  Status Prepare() const;
  std::filesystem::path NewIncomingPath(RandomSource& random) const;
  std::filesystem::path UploadOf(int64_t job_id) const;
  std::filesystem::path ReportOf(int64_t job_id, std::string_view extension) const;
  // Removes incoming files and reports older than `max_age_seconds`; returns how many.
  int64_t RemoveExpired(int64_t max_age_seconds) const;

 private:
  std::filesystem::path root_;
};

// One row of a sheet as the preview shows it.
struct PreviewRow {
  int64_t number = 0;
  std::vector<std::string> cells;
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
  std::vector<PreviewRow> preview;    // the first rows of the job's sheet, when asked for
  std::vector<WizardColumn> columns;  // the header row's columns
  std::map<std::string, int64_t> issue_counts;
  bool report_available = false;
};

// The first rows the preview shows.
inline constexpr int64_t kPreviewRows = 20;

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
  // caller to remove on failure). Fails with the reader's message when it is not a readable
  // spreadsheet; nothing is stored then.
  Result<ImportJob> Start(ImportMode mode, const std::filesystem::path& incoming,
                          const std::string& file_name, const std::string& actor);

  // How much of a job a view reads: the stored job only (lists), or also its file's sheets
  // and header columns, or also the preview rows.
  enum class Detail { kJob, kColumns, kPreview };
  Result<WizardView> View(int64_t job_id, Detail detail);
  Result<std::vector<PreviewRow>> Preview(int64_t job_id, const std::string& sheet);

  // Step 5: the sheet and header row; the mapping becomes the automatic one for that header,
  // fixes and exclusions are dropped (they named rows of the old choice).
  Status ChooseSheet(int64_t job_id, const std::string& sheet, int64_t header_row);
  // Step 6: attribute key -> header as written, or nothing to remove the assignment.
  Status SetMapping(int64_t job_id,
                    const std::vector<std::pair<std::string, std::optional<std::string>>>& changes);
  // Reads the whole sheet, checks every row and stores issues, plan and counts.
  Status Validate(int64_t job_id, const ProgressCallback& progress = {});
  // Step 7, each followed by a validation.
  Status Fix(int64_t job_id, int64_t row, const std::string& value);
  Status Exclude(int64_t job_id, int64_t row);
  Status ExcludeErrors(int64_t job_id);
  Status Include(int64_t job_id, int64_t row);
  Status ReplaceFile(int64_t job_id, const std::filesystem::path& incoming,
                     const std::string& file_name);
  Status Cancel(int64_t job_id);

  // Step 9: the admin confirms, with their choice about the e-learning accounts: the job is
  // queued for whichever server is free (Store::ClaimNextJob). What may go wrong is known
  // here, before anything runs: errors, not validated, already queued or run.
  Result<ImportJob> Confirm(int64_t job_id, bool delete_elearning, const std::string& admin);
  // Step 10: executes a claimed job, writes its report and removes the upload. `progress`
  // hears (rows read, -1) while the file is read again for the report, then (done, total)
  // while the plan is written.
  Result<ExecutionResult> Run(int64_t job_id, const std::string& worker, const std::string& actor,
                              const ProgressCallback& progress);

 private:
  Result<ImportJob> EditableJob(int64_t job_id);
  Result<std::vector<std::string>> Headers(const ImportJob& job, sheet::WorkbookReader& reader);
  Result<std::unique_ptr<sheet::WorkbookReader>> OpenUpload(const ImportJob& job);
  Status SaveUnvalidated(ImportJob& job, const ImportDecisions& decisions);
  Status ChangeDecisions(int64_t job_id, const std::function<Status(ImportDecisions&)>& change);
  ImportSettings SettingsOf(const ImportJob& job, const ImportDecisions& decisions) const;
  // Reads the job's upload with what was decided about it.
  Result<Analysis> Analyze(const ImportJob& job, const ImportDecisions& decisions,
                           const std::string& salt_hex, bool keep_rows,
                           const ProgressCallback& progress);

  Store& store_;
  const Organization& organization_;
  const JobFiles& files_;
  sheet::Limits limits_;
  RandomSource& random_;
};

}  // namespace roster::import
