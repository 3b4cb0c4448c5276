#include "import/wizard.h"

#include <sys/stat.h>

#include <chrono>
#include <system_error>

#include "core/email.h"
#include "core/hex.h"
#include "core/text.h"
#include "import/analyzer.h"
#include "import/digests.h"
#include "import/report_writer.h"
#include "import/row_change.h"
#include "import/sheet_choice.h"

namespace roster::import {
namespace {

namespace fs = std::filesystem;

// What the admin may still change: a job not confirmed yet, also while its check runs (the
// check is then done again).
bool Editable(JobState state) {
  return state == JobState::kUploaded || state == JobState::kChecking ||
         state == JobState::kMapped || state == JobState::kValidated;
}

struct StoredDecisions {
  ImportDecisions decisions;
  std::string salt_hex;
};

Result<StoredDecisions> DecisionsOf(const ImportJob& job) {
  StoredDecisions stored;
  ROSTER_ASSIGN_OR_RETURN(stored.decisions,
                          ImportDecisions::FromJson(job.decisions, &stored.salt_hex));
  return stored;
}

// The lines of the job's file, as its head recorded them (0 for a workbook).
int64_t FileLinesOf(const ImportJob& job) {
  Result<FileHead> head = FileHead::FromJson(job.head);
  return head.ok() ? head->file_lines : 0;
}

std::map<std::string, std::string> MappingOf(const ColumnMapping& mapping) {
  std::map<std::string, std::string> result;
  for (const MappedColumn& column : mapping.columns()) {
    if (column.attribute) result[std::string(SpecOf(*column.attribute).key)] = column.header;
  }
  return result;
}

// The stored mapping applied to `headers`, keeping only what the headers still have.
ColumnMapping StoredMapping(const std::vector<std::string>& headers,
                            const std::map<std::string, std::string>& stored) {
  ColumnMapping mapping = ColumnMapping::Automatic(headers);
  for (const AttributeSpec& spec : AttributeTable()) mapping.Unassign(spec.attribute);
  for (const auto& [key, header] : stored) {
    if (std::optional<Attribute> attribute = AttributeFromKey(key)) {
      (void)mapping.Assign(header, *attribute);  // a header the file lost stays unassigned
    }
  }
  return mapping;
}

}  // namespace

Status JobFiles::Prepare() const {
  for (const char* folder : {"uploads", "reports"}) {
    std::error_code error;
    fs::create_directories(root_ / folder, error);
    if (error) {
      return Unavailable("cannot create the data folder " + (root_ / folder).string() + ": " +
                         error.message());
    }
    fs::permissions(root_ / folder, fs::perms::owner_all, error);
  }
  return Status::Ok();
}

fs::path JobFiles::NewIncomingPath(RandomSource& random) const {
  std::array<uint8_t, 12> bytes{};
  random.Fill(bytes);
  return root_ / "uploads" / ("incoming-" + ToHex(bytes));
}

fs::path JobFiles::UploadOf(const ImportJob& job) const {
  return root_ / "uploads" / ("job-" + std::to_string(job.id) + "-" + job.file_sha256);
}

fs::path JobFiles::ReportOf(int64_t job_id, std::string_view extension) const {
  return root_ / "reports" / ("job-" + std::to_string(job_id) + "." + std::string(extension));
}

int64_t JobFiles::RemoveExpired(int64_t max_age_seconds) const {
  int64_t removed = 0;
  const auto now = fs::file_time_type::clock::now();
  for (const char* folder : {"uploads", "reports"}) {
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(root_ / folder, error)) {
      const std::string name = entry.path().filename().string();
      if (std::string_view(folder) == "uploads" && !name.starts_with("incoming-")) continue;
      std::error_code ignored;
      auto age = now - entry.last_write_time(ignored);
      if (std::chrono::duration_cast<std::chrono::seconds>(age).count() < max_age_seconds) {
        continue;
      }
      if (fs::remove(entry.path(), ignored)) ++removed;
    }
  }
  return removed;
}

Result<ImportJob> Wizard::Start(ImportMode mode, const fs::path& incoming,
                                const std::string& file_name, const std::string& actor) {
  ROSTER_ASSIGN_OR_RETURN(FileDigest digest, DigestFile(incoming.string(), file_name));
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::WorkbookReader> reader,
                          sheet::OpenWorkbook(incoming.string(), limits_, file_name));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet_index, import::ChooseSheet(*reader, "", file_name));
  ROSTER_ASSIGN_OR_RETURN(FileHead head,
                          ReadFileHead(*reader, sheet_index, 1, digest.newlines, file_name));

  ImportJob job;
  job.org_id = organization_.id;
  job.mode = mode;
  job.state = JobState::kUploaded;
  job.actor = actor;
  job.file_name = file_name;
  job.file_sha256 = digest.sha256_hex;
  job.file_size = digest.size;
  job.sheet = reader->sheets()[sheet_index].name;
  job.header_row = 1;
  job.mapping = MappingOf(ColumnMapping::Automatic(head.headers));
  job.decisions = ImportDecisions{}.ToJson(NewAuditSalt(random_));
  job.head = head.ToJson();
  ROSTER_ASSIGN_OR_RETURN(ImportJob created, store_.CreateJob(job));
  std::error_code error;
  fs::rename(incoming, files_.UploadOf(created), error);
  if (error) {
    created.state = JobState::kCancelled;
    created.error = "the upload could not be stored";
    (void)store_.SaveJob(created);
    return Unavailable("cannot store the upload in " + files_.UploadOf(created).string() + ": " +
                       error.message());
  }
  return created;
}

Result<std::unique_ptr<sheet::WorkbookReader>> Wizard::OpenUpload(const ImportJob& job) {
  const fs::path path = files_.UploadOf(job);
  if (!fs::exists(path)) {
    return FailedPrecondition("the file of import job " + std::to_string(job.id) +
                              " is no longer kept (the job is " +
                              std::string(JobStateName(job.state)) + ")");
  }
  return sheet::OpenWorkbook(path.string(), limits_, job.file_name);
}

Result<WizardView> Wizard::View(int64_t job_id) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store_.GetJob(organization_.id, job_id));
  return ViewOf(std::move(job));
}

Result<WizardView> Wizard::ViewOf(ImportJob job) {
  WizardView view;
  const int64_t job_id = job.id;
  view.job = std::move(job);
  ROSTER_ASSIGN_OR_RETURN(StoredDecisions stored, DecisionsOf(view.job));
  view.decisions = std::move(stored.decisions);
  ROSTER_ASSIGN_OR_RETURN(view.issue_counts, store_.CountIssues(organization_.id, job_id));
  std::error_code error;
  view.report_available = fs::exists(files_.ReportOf(job_id, "xlsx"), error);
  if (view.job.head.empty()) return view;  // over: the head went with the file

  ROSTER_ASSIGN_OR_RETURN(FileHead head, FileHead::FromJson(view.job.head));
  view.file_type = head.type;
  view.expected_rows = head.expected_rows;
  view.sheets = std::move(head.sheets);
  view.preview = std::move(head.preview);
  ColumnMapping automatic = ColumnMapping::Automatic(head.headers);
  ColumnMapping chosen = StoredMapping(head.headers, view.job.mapping);
  for (size_t i = 0; i < chosen.columns().size(); ++i) {
    const MappedColumn& column = chosen.columns()[i];
    view.columns.push_back(
        {column.column, column.header, column.attribute,
         column.attribute && automatic.columns()[i].attribute == column.attribute});
  }
  return view;
}

Result<std::vector<PreviewRow>> Wizard::Preview(int64_t job_id, const std::string& sheet) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store_.GetJob(organization_.id, job_id));
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::WorkbookReader> reader, OpenUpload(job));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet_index, FindSheet(reader->sheets(), sheet, job.file_name));
  return ReadPreview(*reader, sheet_index, kPreviewRows);
}

Result<ImportJob> Wizard::EditableJob(JobRef ref) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store_.GetJob(organization_.id, ref.id));
  if (!Editable(job.state)) {
    return FailedPrecondition("import job " + std::to_string(ref.id) + " is " +
                              std::string(JobStateName(job.state)) + " and can no longer change");
  }
  if (ref.version && *ref.version != job.version) {
    return JobChangedMeanwhile(ref.id, *ref.version, job.version);
  }
  return job;
}

// Findings are dropped with every change they depend on, so that nothing can run on a plan
// made for other choices (the store would refuse it too: see JobBasis).
Result<ImportJob> Wizard::SaveUnchecked(ImportJob job, const ImportDecisions& decisions,
                                        JobState state) {
  std::string salt;
  (void)ImportDecisions::FromJson(job.decisions, &salt);
  job.decisions = decisions.ToJson(salt);
  job.state = state;
  job.counts = ImportCounts{};
  job.error.clear();
  return store_.SaveFindings(job, {});
}

Result<ImportJob> Wizard::ChooseSheet(JobRef ref, const std::string& sheet, int64_t header_row) {
  if (header_row < 1 || header_row > limits_.max_rows) {
    return InvalidArgument("the header row must be a row number, 1 or more");
  }
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::WorkbookReader> reader, OpenUpload(job));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet_index, FindSheet(reader->sheets(), sheet, job.file_name));
  ROSTER_ASSIGN_OR_RETURN(FileHead head, ReadFileHead(*reader, sheet_index, header_row,
                                                      FileLinesOf(job), job.file_name));
  job.sheet = reader->sheets()[sheet_index].name;
  job.header_row = header_row;
  job.mapping = MappingOf(ColumnMapping::Automatic(head.headers));
  job.head = head.ToJson();
  return SaveUnchecked(job, ImportDecisions{}, JobState::kUploaded);
}

Result<ImportJob> Wizard::SetMapping(
    JobRef ref, const std::vector<std::pair<std::string, std::optional<std::string>>>& changes) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  ROSTER_ASSIGN_OR_RETURN(FileHead head, FileHead::FromJson(job.head));
  ColumnMapping mapping = StoredMapping(head.headers, job.mapping);
  for (const auto& [key, header] : changes) {
    std::optional<Attribute> attribute = AttributeFromKey(key);
    if (!attribute) return InvalidArgument("there is no attribute '" + key + "'");
    if (!header) {
      mapping.Unassign(*attribute);
      continue;
    }
    ROSTER_RETURN_IF_ERROR(mapping.Assign(*header, *attribute));
  }
  job.mapping = MappingOf(mapping);
  ROSTER_ASSIGN_OR_RETURN(StoredDecisions stored, DecisionsOf(job));
  return SaveUnchecked(job, stored.decisions, JobState::kUploaded);
}

ImportSettings Wizard::SettingsOf(const ImportJob& job, const ImportDecisions& decisions) const {
  ImportSettings settings;
  settings.mode = job.mode;
  settings.sheet = job.sheet;
  settings.header_row = job.header_row;
  for (const auto& [key, header] : job.mapping) settings.manual_mapping.emplace_back(header, key);
  settings.mapping_is_complete = true;
  settings.decisions = decisions;
  return settings;
}

Result<Analysis> Wizard::Analyze(const ImportJob& job, const ImportDecisions& decisions,
                                 const std::string& salt_hex, bool keep_rows,
                                 const CheckControl& control) {
  AnalyzeRequest request{files_.UploadOf(job).string(), job.file_name, organization_,
                         SettingsOf(job, decisions), salt_hex, keep_rows, limits_, control.progress,
                         // The admin who started the import (a CLI actor is no address).
                         EmailKey(job.actor).value_or(""), control.keep_going};
  if (!fs::exists(request.path)) {
    return FailedPrecondition("the file of import job " + std::to_string(job.id) +
                              " is no longer kept");
  }
  ROSTER_ASSIGN_OR_RETURN(Analysis analysis, AnalyzeFile(store_, request, random_));
  // The file read must be the file the job records: a plan of another file never runs.
  if (analysis.file_sha256 != job.file_sha256) {
    return FailedPrecondition("the stored file of import job " + std::to_string(job.id) +
                              " is not the file it records (" + job.file_name +
                              "); upload it again");
  }
  return analysis;
}

Result<ImportJob> Wizard::RequestCheck(JobRef ref) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  if (job.state == JobState::kChecking) return job;
  ROSTER_ASSIGN_OR_RETURN(StoredDecisions stored, DecisionsOf(job));
  return SaveUnchecked(job, stored.decisions, JobState::kChecking);
}

Result<ImportJob> Wizard::CancelCheck(JobRef ref) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  if (job.state != JobState::kChecking) {
    return FailedPrecondition("import job " + std::to_string(ref.id) + " is " +
                              std::string(JobStateName(job.state)) + ": no check to cancel");
  }
  job.state = JobState::kUploaded;
  job.error = "The check was cancelled.";
  return store_.SaveFindings(job, {});
}

Result<ImportJob> Wizard::RunCheck(const ImportJob& job, const CheckControl& control) {
  ROSTER_ASSIGN_OR_RETURN(StoredDecisions stored, DecisionsOf(job));
  // With the row records: the report is written from them, not from the file.
  Result<Analysis> analysis = Analyze(job, stored.decisions, stored.salt_hex, true, control);
  ImportJob checked = job;
  if (!analysis.ok()) {
    // Stopped: the job changed, or the check was cancelled; whoever did that saved the job.
    if (analysis.status().code() == ErrorCode::kAborted) return analysis.status();
    // The file cannot be read as the job says (another sheet or header row, or another file,
    // may do): the job waits, not checked, with the reason.
    checked.state = JobState::kUploaded;
    checked.counts = ImportCounts{};
    checked.error = analysis.status().message();
    ROSTER_RETURN_IF_ERROR(store_.SaveFindings(checked, {}).status());
    return analysis.status();
  }
  checked.counts = analysis->counts;
  checked.state = analysis->HasErrors() ? JobState::kMapped : JobState::kValidated;
  checked.error.clear();
  // The next check of this sheet and header row (after a fix) knows how many rows to expect.
  if (Result<FileHead> head = FileHead::FromJson(checked.head); head.ok()) {
    head->expected_rows = analysis->counts.rows;
    checked.head = head->ToJson();
  }
  return store_.SaveFindings(checked, FindingsOf(*analysis));
}

Result<ImportJob> Wizard::Check(JobRef ref, const CheckControl& control) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  return RunCheck(job, control);
}

Result<ImportJob> Wizard::ChangeDecisions(JobRef ref, std::optional<int64_t> row,
                                          const std::function<Status(ImportDecisions&)>& change) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  ROSTER_ASSIGN_OR_RETURN(StoredDecisions stored, DecisionsOf(job));
  ROSTER_RETURN_IF_ERROR(change(stored.decisions));
  // One row of a checked job: judged again on its own, at once (a few milliseconds at any
  // size); anything else: the whole file is checked again, in the background.
  if (row) {
    ROSTER_ASSIGN_OR_RETURN(std::optional<ImportJob> changed,
                            ChangeOneRow(store_, job, stored.decisions, stored.salt_hex, *row,
                                         EmailKey(job.actor).value_or("")));
    if (changed) return std::move(*changed);
  }
  return SaveUnchecked(job, stored.decisions, JobState::kChecking);
}

Result<ImportJob> Wizard::Fix(JobRef ref, int64_t row, const std::string& value) {
  return ChangeDecisions(ref, row, [&](ImportDecisions& decisions) {
    if (row < 1) return InvalidArgument("the row must be a row number, 1 or more");
    decisions.fixes[row] = value;
    decisions.excluded_rows.erase(row);
    return Status::Ok();
  });
}

Result<ImportJob> Wizard::Exclude(JobRef ref, int64_t row) {
  return ChangeDecisions(ref, row, [&](ImportDecisions& decisions) {
    if (row < 1) return InvalidArgument("the row must be a row number, 1 or more");
    decisions.excluded_rows.insert(row);
    return Status::Ok();
  });
}

Result<ImportJob> Wizard::ExcludeErrors(JobRef ref) {
  // The rows are listed one by one rather than with a flag, so that the admin sees which
  // they are and can take any of them back. They are the errors of the job as read here:
  // saving is compare-and-set on its version, so they are its current ones.
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  if (job.state != JobState::kMapped && job.state != JobState::kValidated) {
    return FailedPrecondition("import job " + std::to_string(ref.id) + " is " +
                              std::string(JobStateName(job.state)) +
                              ": its errors are known once its check is done");
  }
  std::vector<int64_t> rows;
  constexpr int64_t kPage = 10'000;
  for (int64_t offset = 0;; offset += kPage) {
    ROSTER_ASSIGN_OR_RETURN(std::vector<ImportIssue> issues,
                            store_.ListIssues(organization_.id, ref.id, offset, kPage));
    for (const ImportIssue& issue : issues) {
      if (issue.severity == Severity::kError && issue.row > 0) rows.push_back(issue.row);
    }
    if (static_cast<int64_t>(issues.size()) < kPage) break;
  }
  return ChangeDecisions({ref.id, job.version}, std::nullopt, [&](ImportDecisions& decisions) {
    decisions.excluded_rows.insert(rows.begin(), rows.end());
    return Status::Ok();
  });
}

Result<ImportJob> Wizard::Include(JobRef ref, int64_t row) {
  return ChangeDecisions(ref, row, [&](ImportDecisions& decisions) {
    if (decisions.excluded_rows.erase(row) == 0) {
      return NotFound("row " + std::to_string(row) + " is not excluded");
    }
    return Status::Ok();
  });
}

Result<ImportJob> Wizard::ReplaceFile(JobRef ref, const fs::path& incoming,
                                      const std::string& file_name) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  ROSTER_ASSIGN_OR_RETURN(FileDigest digest, DigestFile(incoming.string(), file_name));
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::WorkbookReader> reader,
                          sheet::OpenWorkbook(incoming.string(), limits_, file_name));
  // The same sheet and header row when the new file has that sheet, else the default sheet;
  // a file of one sheet (a CSV file's sheet is named after the file) keeps the header row.
  Result<size_t> same_sheet = FindSheet(reader->sheets(), job.sheet, file_name);
  size_t sheet_index = 0;
  if (same_sheet.ok()) {
    sheet_index = *same_sheet;
  } else {
    ROSTER_ASSIGN_OR_RETURN(sheet_index, import::ChooseSheet(*reader, "", file_name));
    if (reader->sheets().size() != 1) job.header_row = 1;
  }
  ROSTER_ASSIGN_OR_RETURN(FileHead head, ReadFileHead(*reader, sheet_index, job.header_row,
                                                      digest.newlines, file_name));
  // Keep the assignments whose header the new file has; automatic ones for the rest.
  ColumnMapping kept = StoredMapping(head.headers, job.mapping);
  ColumnMapping automatic = ColumnMapping::Automatic(head.headers);
  for (const MappedColumn& column : automatic.columns()) {
    if (column.attribute && !kept.ColumnOf(*column.attribute) &&
        !kept.columns()[static_cast<size_t>(column.column)].attribute) {
      (void)kept.Assign(column.header, *column.attribute);
    }
  }
  const fs::path old_upload = files_.UploadOf(job);
  job.file_name = file_name;
  job.file_sha256 = digest.sha256_hex;
  job.file_size = digest.size;
  job.sheet = reader->sheets()[sheet_index].name;
  job.mapping = MappingOf(kept);
  job.head = head.ToJson();
  // The new file goes beside the old one (its name is its digest): a check still reading the
  // old one reads it to its end, and is then refused as stale.
  const fs::path new_upload = files_.UploadOf(job);
  std::error_code error;
  fs::rename(incoming, new_upload, error);
  if (error) return Unavailable("cannot store the upload: " + error.message());
  Result<ImportJob> saved = SaveUnchecked(job, ImportDecisions{}, JobState::kChecking);
  std::error_code ignored;
  if (new_upload != old_upload) fs::remove(saved.ok() ? old_upload : new_upload, ignored);
  return saved;
}

Result<ImportJob> Wizard::Cancel(JobRef ref) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  job.state = JobState::kCancelled;
  job.head.clear();  // the first rows of the file go with it
  ROSTER_ASSIGN_OR_RETURN(ImportJob cancelled, store_.SaveFindings(job, {}));
  std::error_code ignored;
  fs::remove(files_.UploadOf(job), ignored);
  return cancelled;
}

Result<ImportJob> Wizard::Confirm(int64_t job_id, int64_t version, bool delete_elearning,
                                  const std::string& admin) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store_.GetJob(organization_.id, job_id));
  // What the admin confirmed is not what is there any more: say so first, whatever it is now.
  if (job.version != version && Editable(job.state)) {
    return JobChangedMeanwhile(job_id, version, job.version);
  }
  ROSTER_RETURN_IF_ERROR(CheckRunnable(job));
  ROSTER_RETURN_IF_ERROR(
      store_.EnqueueJob(organization_.id, job_id, version, delete_elearning, admin));
  return store_.GetJob(organization_.id, job_id);
}

Result<ExecutionResult> Wizard::Run(int64_t job_id, const std::string& worker,
                                    const std::string& actor, const ProgressCallback& progress) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, store_.GetJob(organization_.id, job_id));
  // The row records go with the execution's transaction (they name people): read first, for
  // the report written after it.
  Result<std::vector<RowChunk>> rows = store_.LoadRows(organization_.id, job_id);
  if (!rows.ok()) {
    (void)store_.InterruptJob(organization_.id, job_id, rows.status().message());
    return rows.status();
  }
  ExecuteRequest execute{job_id, job.delete_elearning, worker, actor, progress, job.version};
  ROSTER_ASSIGN_OR_RETURN(ExecutionResult result,
                          ExecuteClaimedJob(store_, organization_, execute));
  const ReportOutcome outcome = OutcomeOf(result);
  // The .xlsx last: its presence says both are there (View's report_available).
  for (const char* extension : {"csv", "xlsx"}) {
    // A report that cannot be written leaves the import done: it is only missing its report.
    (void)WriteReport(*rows, outcome, files_.ReportOf(job_id, extension).string());
  }
  std::error_code ignored;
  fs::remove(files_.UploadOf(job), ignored);
  return result;
}

}  // namespace roster::import
