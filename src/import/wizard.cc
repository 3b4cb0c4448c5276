#include "import/wizard.h"

#include <array>
#include <chrono>
#include <set>
#include <span>

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

// The .xlsx last: its presence says both are there (View's report_available).
constexpr std::array<std::string_view, 2> kReportFormats = {"csv", "xlsx"};

// Removes the job's reports, pending and in place: a job's report is there in both formats or
// not at all.
void RemoveReports(const JobFiles& files, int64_t job_id) {
  for (std::string_view extension : kReportFormats) {
    (void)files.file_system().Remove(files.PendingReportOf(job_id, extension));
    (void)files.file_system().Remove(files.ReportOf(job_id, extension));
  }
}

// The report of a job about to run, as it reads when every planned row goes as planned.
Status WritePendingReports(const JobFiles& files, int64_t job_id, std::span<const RowChunk> rows,
                           ImportMode mode) {
  for (std::string_view extension : kReportFormats) {
    Status written =
        WriteReport(rows, ReportOutcome{mode, {}},
                    files.PendingReportOf(job_id, extension).string(), files.file_system());
    if (!written.ok()) {
      RemoveReports(files, job_id);
      return written;
    }
  }
  return Status::Ok();
}

// Puts the report of a job that ran in place: the pending one when every planned row went as
// planned (the usual case, a rename), else one written again with what the execution did.
Status PlaceReports(const JobFiles& files, int64_t job_id, std::span<const RowChunk> rows,
                    const ReportOutcome& outcome) {
  Status placed;
  if (outcome.gone_rows.empty()) {
    for (std::string_view extension : kReportFormats) {
      const std::filesystem::path report = files.ReportOf(job_id, extension);
      if (Status renamed =
              files.file_system().Rename(files.PendingReportOf(job_id, extension), report);
          !renamed.ok()) {
        placed = Unavailable("cannot put the report " + report.string() + " in place (" +
                             renamed.message() + ")");
        break;
      }
    }
  } else {
    // The pending report's room is the new one's.
    for (std::string_view extension : kReportFormats) {
      (void)files.file_system().Remove(files.PendingReportOf(job_id, extension));
    }
    for (std::string_view extension : kReportFormats) {
      placed = WriteReport(rows, outcome, files.ReportOf(job_id, extension).string(),
                           files.file_system());
      if (!placed.ok()) break;
    }
  }
  if (!placed.ok()) RemoveReports(files, job_id);
  return placed;
}

// Removes `path`, a file of the job that its step did not store, unless the job as stored now
// records it after all: the same corrected file, sent from two tabs at once, has one name, and
// the tab whose step was refused must not remove what the other's stored.
void RemoveUnrecordedUpload(Store& store, const JobFiles& files, const ImportJob& job,
                            const fs::path& path) {
  Result<ImportJob> now = store.GetJob(job.org_id, job.id);
  if (now.ok() && files.UploadOf(*now) == path) return;
  (void)files.file_system().Remove(path);
}

}  // namespace

Status JobFiles::Prepare() const {
  for (const char* folder : {"uploads", "reports"}) {
    if (Status made = file_system_->CreateDirectories(root_ / folder, fs::perms::owner_all);
        !made.ok()) {
      return Unavailable("the data folder " + (root_ / folder).string() + " cannot be made (" +
                         made.message() + ")");
    }
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

fs::path JobFiles::PendingReportOf(int64_t job_id, std::string_view extension) const {
  return root_ / "reports" /
         ("job-" + std::to_string(job_id) + ".pending." + std::string(extension));
}

int64_t JobFiles::RemoveExpired(int64_t max_age_seconds) const {
  const auto now = fs::file_time_type::clock::now();
  auto expired = [&](const DirectoryEntry& entry) {
    return std::chrono::duration_cast<std::chrono::seconds>(now - entry.modified).count() >=
           max_age_seconds;
  };
  int64_t removed = 0;
  auto remove = [&](const fs::path& path) {
    if (file_system_->Remove(path).ok()) ++removed;
  };
  // A job with a report ran (reports are put in place only then), so its upload is no longer
  // needed: one still there is what a failed removal left, which only its name now tells.
  std::set<std::string, std::less<>> ran;  // "job-<id>"
  if (Result<std::vector<DirectoryEntry>> reports = file_system_->ListDirectory(root_ / "reports");
      reports.ok()) {
    for (const DirectoryEntry& entry : *reports) {
      const std::string stem = entry.path.stem().string();  // "job-7", "job-7.pending"
      const std::string extension = entry.path.extension().string();
      if (stem.starts_with("job-") && stem.find('.') == std::string::npos &&
          (extension == ".xlsx" || extension == ".csv")) {
        ran.insert(stem);
      }
      if (expired(entry)) remove(entry.path);
    }
  }
  if (Result<std::vector<DirectoryEntry>> uploads = file_system_->ListDirectory(root_ / "uploads");
      uploads.ok()) {
    for (const DirectoryEntry& entry : *uploads) {
      const std::string name = entry.path.filename().string();
      if (name.starts_with("incoming-")) {
        if (expired(entry)) remove(entry.path);
      } else if (name.starts_with("job-")) {
        const std::string_view job = std::string_view(name).substr(0, name.find('-', 4));
        if (ran.contains(job)) remove(entry.path);
      }
    }
  }
  return removed;
}

Result<ImportJob> Wizard::Start(ImportMode mode, const fs::path& incoming,
                                const std::string& file_name, const std::string& actor) {
  ROSTER_ASSIGN_OR_RETURN(FileDigest digest,
                          DigestFile(incoming.string(), file_name, files_.file_system()));
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
  // The upload's name needs the job's id, so the job exists before its file is in place.
  if (Status adopted = files_.file_system().Rename(incoming, files_.UploadOf(created));
      !adopted.ok()) {
    // A store forgets no job: this one is given up, and keeps nothing of the file (its head
    // holds the first rows, names and addresses among them).
    created.state = JobState::kCancelled;
    created.head.clear();
    created.error = "The upload could not be stored.";
    (void)store_.SaveFindings(created, {});
    return Unavailable(file_name + " could not be stored (" + adopted.message() +
                       "); upload it again");
  }
  return created;
}

Result<std::unique_ptr<sheet::WorkbookReader>> Wizard::OpenUpload(const ImportJob& job) {
  const fs::path path = files_.UploadOf(job);
  ROSTER_ASSIGN_OR_RETURN(bool kept, files_.file_system().Exists(path));
  if (!kept) {
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
  Result<bool> report = files_.file_system().Exists(files_.ReportOf(job_id, "xlsx"));
  view.report_available = report.ok() && *report;
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
  ROSTER_ASSIGN_OR_RETURN(bool kept, files_.file_system().Exists(request.path));
  if (!kept) {
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
  ROSTER_ASSIGN_OR_RETURN(FileDigest digest,
                          DigestFile(incoming.string(), file_name, files_.file_system()));
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
  if (Status adopted = files_.file_system().Rename(incoming, new_upload); !adopted.ok()) {
    return Unavailable(file_name + " could not be stored (" + adopted.message() +
                       "); the job keeps its file");
  }
  Result<ImportJob> saved = SaveUnchecked(job, ImportDecisions{}, JobState::kChecking);
  if (new_upload != old_upload) {
    RemoveUnrecordedUpload(store_, files_, job, saved.ok() ? old_upload : new_upload);
  }
  return saved;
}

Result<ImportJob> Wizard::Cancel(JobRef ref) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job, EditableJob(ref));
  job.state = JobState::kCancelled;
  job.head.clear();  // the first rows of the file go with it
  ROSTER_ASSIGN_OR_RETURN(ImportJob cancelled, store_.SaveFindings(job, {}));
  (void)files_.file_system().Remove(files_.UploadOf(job));
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
  // Another attempt at a job that ran (say, one whose report could not be written) must
  // neither delete again nor touch the files of the run.
  if (job.state != JobState::kRunning || job.worker != worker) {
    return FailedPrecondition("import job " + std::to_string(job_id) + " is " +
                              std::string(JobStateName(job.state)) +
                              ", not running for this worker");
  }
  // The row records go with the execution's transaction (they name people): read first, for
  // the report written after it.
  Result<std::vector<RowChunk>> rows = store_.LoadRows(organization_.id, job_id);
  if (!rows.ok()) {
    (void)store_.InterruptJob(organization_.id, job_id, rows.status().message());
    return rows.status();
  }
  // The report cannot be made once the deletion has taken the row records, so it is written
  // before anything is deleted: a data folder that cannot take it stops the job here.
  if (Status pending = WritePendingReports(files_, job_id, *rows, job.mode); !pending.ok()) {
    const std::string reason = "Nothing was changed: the result report could not be written (" +
                               pending.message() +
                               "). Run the import again once the server's data folder can take it.";
    (void)store_.InterruptJob(organization_.id, job_id, reason);
    return Unavailable("import job " + std::to_string(job_id) + " did not run. " + reason);
  }
  ExecuteRequest execute{job_id, job.delete_elearning, worker, actor, progress, job.version};
  Result<ExecutionResult> result = ExecuteClaimedJob(store_, organization_, execute);
  if (!result.ok()) {
    RemoveReports(files_, job_id);
    return result.status();
  }
  Status placed = PlaceReports(files_, job_id, *rows, OutcomeOf(*result));
  // A removal that fails leaves the file to RemoveExpired, which sees the job ran by its report.
  (void)files_.file_system().Remove(files_.UploadOf(job));
  if (!placed.ok()) {
    return Unavailable("import job " + std::to_string(job_id) +
                       " ran and its changes stand, but its result report could not be "
                       "written (" +
                       placed.message() + ")");
  }
  return result;
}

}  // namespace roster::import
