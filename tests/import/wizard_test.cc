// The console's wizard over a stored job: each step stores what was decided, asks for a check
// where the issue says so, and nothing runs on a plan made for other choices. The races
// between steps are in wizard_race_test.cc.

#include "import/wizard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/import_fixture.h"

namespace roster::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class WizardTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    AddUser("anna.schmidt@acme.example", /*elearning=*/true);
    AddUser("bob.jones@acme.example");
    AddUser("carla.diaz@acme.example");
    ASSERT_TRUE(files_.Prepare().ok());
  }

  // A file in the uploads folder, as the server receives it.
  std::filesystem::path Incoming(const std::string& text) {
    std::filesystem::path path = files_.NewIncomingPath(random_);
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }

  roster::import::Wizard MakeWizard(sheet::Limits limits = {}) {
    return import::Wizard(*store_, acme_, files_, limits, random_);
  }

  int64_t Start(const std::string& text, ImportMode mode = ImportMode::kDelete) {
    import::Wizard wizard = MakeWizard();
    Result<ImportJob> job = wizard.Start(mode, Incoming(text), "leavers.csv", "admin@acme.example");
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? job->id : 0;
  }

  // Runs the job's check here, as a worker would; returns the job as the check left it.
  ImportJob Check(int64_t id) {
    Result<ImportJob> checked = MakeWizard().Check({id});
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    return Job(id);
  }

  ImportJob Job(int64_t id) { return *store_->GetJob(acme_.id, id); }

  // Confirms the job as it is now.
  Result<ImportJob> Confirm(int64_t id, bool delete_elearning) {
    return MakeWizard().Confirm(id, Job(id).version, delete_elearning, "admin@acme.example");
  }

  import::JobFiles files_{dir_.path() / "files"};
};

TEST_F(WizardTest, StartsWithTheFirstSheetHeaderRowOneAndTheAutomaticMapping) {
  const int64_t id = Start("Name,E-Mail\nAnna,anna.schmidt@acme.example\n");
  ImportJob job = Job(id);
  EXPECT_EQ(job.state, JobState::kUploaded);
  EXPECT_EQ(job.header_row, 1);
  EXPECT_EQ(job.version, 1);
  EXPECT_EQ(job.mapping, (std::map<std::string, std::string>{{"email", "E-Mail"}}));
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(job)));
  EXPECT_THAT(files_.UploadOf(job).filename().string(), HasSubstr(job.file_sha256));
  Result<import::WizardView> view = MakeWizard().View(id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->columns.size(), 2u);
  EXPECT_FALSE(view->columns[0].attribute);
  EXPECT_TRUE(view->columns[1].automatic);
  EXPECT_EQ(view->preview.size(), 2u);
}

TEST_F(WizardTest, ViewsAndMappingReadTheStoredHeadNotTheFile) {
  const int64_t id =
      Start("Name,E-Mail,Note\nAnna,anna.schmidt@acme.example," + std::string(300, 'x') + "\n");
  std::filesystem::remove(files_.UploadOf(Job(id)));  // what a view may not need
  import::Wizard wizard = MakeWizard();
  Result<import::WizardView> view = wizard.View(id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->file_type, sheet::FileType::kCsv);
  ASSERT_EQ(view->preview.size(), 2u);
  EXPECT_EQ(view->preview[1].cells[2].size(), import::kPreviewCellBytes);  // cut for the preview
  ASSERT_EQ(view->columns.size(), 3u);
  EXPECT_EQ(view->columns[1].header, "E-Mail");
  Result<ImportJob> mapped = wizard.SetMapping(id, {{"email", "Note"}});
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_EQ(mapped->mapping.at("email"), "Note");
  // Only the check reads the file; without it, it says so.
  Result<ImportJob> checked = wizard.Check(id);
  EXPECT_EQ(checked.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(checked.status().message(), HasSubstr("is no longer kept"));
}

TEST_F(WizardTest, ACheckKnowsHowManyRowsToExpectAndSaysWhenAllAreRead) {
  std::string text = "Export\nE-Mail\n";
  for (int i = 0; i < 30; ++i) text += "anna.schmidt@acme.example\n";
  const int64_t id = Start(text);
  import::Wizard wizard = MakeWizard();
  // A CSV file's lines below the header, before any check.
  EXPECT_EQ(wizard.View(id)->expected_rows, 31);
  ASSERT_TRUE(wizard.ChooseSheet(id, "leavers", 2).ok());
  EXPECT_EQ(wizard.View(id)->expected_rows, 30);
  std::vector<std::pair<int64_t, int64_t>> reported;
  Result<ImportJob> checked = wizard.Check(
      id, {[&](int64_t done, int64_t total) { reported.emplace_back(done, total); }, {}});
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported.back(), std::make_pair(int64_t{30}, int64_t{30}));  // all rows read
  // After a check: what it counted, for the next one (after a fix).
  EXPECT_EQ(wizard.View(id)->expected_rows, 30);
}

TEST_F(WizardTest, AJobOverKeepsNothingOfItsFile) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard wizard = MakeWizard();
  Check(id);
  ASSERT_TRUE(Confirm(id, false).ok());
  ASSERT_TRUE(store_->ClaimNextJob("w")->has_value());
  ASSERT_TRUE(wizard.Run(id, "w", "admin@acme.example", {}).ok());
  EXPECT_EQ(Job(id).head, "");
  Result<import::WizardView> view = wizard.View(id);
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->file_type);
  EXPECT_TRUE(view->preview.empty());
  const int64_t cancelled = Start("E-Mail\nbob.jones@acme.example\n");
  ASSERT_TRUE(wizard.Cancel(cancelled).ok());
  EXPECT_EQ(Job(cancelled).head, "");
}

TEST_F(WizardTest, RefusesAFileThatIsNotASpreadsheetAndStoresNothing) {
  import::Wizard wizard = MakeWizard();
  std::filesystem::path incoming = Incoming("%PDF-1.4\n");
  Result<ImportJob> job = wizard.Start(ImportMode::kDelete, incoming, "leavers.xlsx", "a");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(job.status().message(), HasSubstr("leavers.xlsx"));
  EXPECT_TRUE(store_->ListJobs(acme_.id, 0, 10)->empty());
}

TEST_F(WizardTest, AFileBrokenPastItsFirstRowsIsRefusedByItsCheckAndCannotRun) {
  sheet::Limits limits;
  limits.max_rows = 25;
  import::Wizard wizard = MakeWizard(limits);
  std::string rows;
  for (int i = 0; i < 24; ++i) rows += "anna.schmidt@acme.example\n";
  // The upload reads the head (20 rows); the check reads on and finds the 26th data row, or
  // the open quote of row 26. The job then waits, not checked, with the reason, and nothing
  // can run.
  for (const auto& [text, name, code, reason] :
       std::vector<std::tuple<std::string, std::string, ErrorCode, std::string>>{
           {"E-Mail\n" + rows + "a@x.example\nb@x.example\n", "long.csv",
            ErrorCode::kResourceExhausted, "long.csv has more than 25 data rows"},
           {"E-Mail\n" + rows + "\"bob.jones@acme.example\n", "quote.csv",
            ErrorCode::kInvalidArgument, "quote.csv: a quote opened in row 26 is never closed"}}) {
    Result<ImportJob> started = wizard.Start(ImportMode::kDelete, Incoming(text), name, "a");
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    Result<ImportJob> checked = wizard.Check(started->id);
    EXPECT_EQ(checked.status().code(), code);
    EXPECT_THAT(checked.status().message(), HasSubstr(reason));
    ImportJob job = Job(started->id);
    EXPECT_EQ(job.state, JobState::kUploaded);
    EXPECT_THAT(job.error, HasSubstr(reason));
    EXPECT_EQ(wizard.Confirm(job.id, job.version, false, "a").status().code(),
              ErrorCode::kFailedPrecondition);
  }
  // Broken within its first rows, a file is refused at once, and nothing is stored.
  Result<ImportJob> refused = wizard.Start(
      ImportMode::kDelete, Incoming("E-Mail\n\"anna.schmidt@acme.example\n"), "early.csv", "a");
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListJobs(acme_.id, 0, 10)->size(), 2u);
  EXPECT_EQ(RemainingEmails().size(), 3u);
}

TEST_F(WizardTest, FixesAndExclusionsApplyAtOnceAndUnlockExecution) {
  const int64_t id =
      Start("E-Mail\nanna.schmidt@acme.example\nbob.jnoes@acme.example\nzed@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.RequestCheck({id}).ok());
  EXPECT_EQ(Job(id).state, JobState::kChecking);
  EXPECT_EQ(Confirm(id, false).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Check(id).state, JobState::kMapped);
  EXPECT_EQ(Job(id).counts.errors, 2);
  EXPECT_EQ(Confirm(id, false).status().code(), ErrorCode::kFailedPrecondition);

  // A fix or an exclusion of one row of a checked delete is applied to the stored findings at
  // once (row_change.h): no second check of the whole file.
  Result<ImportJob> fixed = wizard.Fix({id}, 3, "bob.jones@acme.example");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(fixed->state, JobState::kMapped);
  EXPECT_EQ(fixed->counts.errors, 1);
  EXPECT_EQ(fixed->counts.to_delete, 2);
  // Excluding all errors at once is checked again in the background (row_change.h).
  ASSERT_TRUE(wizard.ExcludeErrors({id}).ok());
  EXPECT_EQ(Job(id).state, JobState::kChecking);
  EXPECT_EQ(Check(id).state, JobState::kValidated);
  EXPECT_EQ(Job(id).counts.to_delete, 2);
  Result<import::WizardView> view = wizard.View(id);
  EXPECT_THAT(view->decisions.excluded_rows, ElementsAre(4));
  // Taking the exclusion back brings the error back, at once too.
  Result<ImportJob> included = wizard.Include({id}, 4);
  ASSERT_TRUE(included.ok()) << included.status().ToString();
  EXPECT_EQ(included->state, JobState::kMapped);
  EXPECT_EQ(included->counts.errors, 1);
  EXPECT_EQ(wizard.Include({id}, 4).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(wizard.Exclude({id}, 4).ok());
  EXPECT_EQ(Job(id).state, JobState::kValidated);

  Result<ImportJob> queued = Confirm(id, /*delete_elearning=*/true);
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_EQ(queued->state, JobState::kQueued);
  EXPECT_EQ(queued->confirmed_by, "admin@acme.example");
  EXPECT_TRUE(queued->delete_elearning);
  // Confirmed twice (two tabs): queued once.
  EXPECT_EQ(Confirm(id, true).status().code(), ErrorCode::kFailedPrecondition);
  Result<std::optional<ImportJob>> claimed = store_->ClaimNextJob("w");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, id);
  Result<import::ExecutionResult> run = wizard.Run(id, "w", "admin@acme.example", {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->job.counts.deleted, 2);
  EXPECT_EQ(run->outcome.elearning_deleted, 1);
  EXPECT_THAT(RemainingEmails(), ElementsAre("carla.diaz@acme.example"));
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(Job(id))));
  EXPECT_TRUE(std::filesystem::exists(files_.ReportOf(id, "xlsx")));
  EXPECT_TRUE(std::filesystem::exists(files_.ReportOf(id, "csv")));
  EXPECT_EQ(wizard.Fix({id}, 2, "x@acme.example").status().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(WizardTest, AStepGivenAnOlderVersionIsRefusedAndChangesNothing) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\nzed@acme.example\n");
  import::Wizard wizard = MakeWizard();
  const ImportJob seen = Check(id);                         // what the admin's tab shows
  ASSERT_TRUE(wizard.Exclude({id, seen.version}, 3).ok());  // another tab
  for (Result<ImportJob> stale :
       {wizard.Fix({id, seen.version}, 3, "anna.schmidt@acme.example"),
        wizard.Exclude({id, seen.version}, 2), wizard.Include({id, seen.version}, 3),
        wizard.SetMapping({id, seen.version}, {{"email", std::nullopt}}),
        wizard.ChooseSheet({id, seen.version}, "leavers", 1), wizard.Cancel({id, seen.version}),
        wizard.RequestCheck({id, seen.version}), wizard.ExcludeErrors({id, seen.version})}) {
    EXPECT_EQ(stale.status().code(), ErrorCode::kAborted) << stale.status().ToString();
  }
  ImportJob now = Job(id);
  EXPECT_EQ(now.version, seen.version + 1);
  EXPECT_EQ(now.state, JobState::kValidated);  // the exclusion was applied at once
  EXPECT_EQ(now.mapping.at("email"), "E-Mail");
  // Confirming what the tab showed is refused too; what is there now is checked first.
  EXPECT_EQ(wizard.Confirm(id, seen.version, false, "a").status().code(), ErrorCode::kAborted);
  ImportJob checked = Check(id);
  EXPECT_EQ(checked.state, JobState::kValidated);
  EXPECT_TRUE(wizard.Confirm(id, checked.version, false, "a").ok());
}

TEST_F(WizardTest, ChangingTheMappingOrHeaderRowDropsTheOldPlan) {
  const int64_t id = Start("Export\nMail,Person\nanna.schmidt@acme.example,Anna\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.ChooseSheet({id}, "leavers", 2).ok());
  EXPECT_EQ(Job(id).mapping.at("email"), "Mail");
  EXPECT_EQ(Check(id).state, JobState::kValidated);
  ASSERT_TRUE(wizard.SetMapping({id}, {{"email", "Person"}}).ok());
  EXPECT_EQ(Job(id).state, JobState::kUploaded);
  EXPECT_EQ(Job(id).counts.to_delete, 0);
  EXPECT_TRUE(store_->LoadPlan(acme_.id, id)->empty());
  EXPECT_EQ(Confirm(id, false).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(wizard.SetMapping({id}, {{"salary", "Mail"}}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(wizard.ChooseSheet({id}, "Nope", 1).status().code(), ErrorCode::kInvalidArgument);
  // Unassigned stays unassigned: the stored mapping is the whole mapping.
  ASSERT_TRUE(wizard.SetMapping({id}, {{"email", std::nullopt}}).ok());
  Check(id);
  EXPECT_EQ(store_->CountIssues(acme_.id, id)->at("column_not_mapped"), 1);
}

TEST_F(WizardTest, ACorrectedFileKeepsTheMappingDropsTheFixesAndIsChecked) {
  const int64_t id = Start("E-Mail,Name\nzed@acme.example,Zed\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.Fix({id}, 2, "zed2@acme.example").ok());
  const ImportJob before = Job(id);
  Result<ImportJob> replaced = wizard.ReplaceFile(
      {id}, Incoming("Name,E-Mail\nBob,bob.jones@acme.example\n"), "leavers-fixed.csv");
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(replaced->state, JobState::kChecking);
  ImportJob job = Check(id);
  EXPECT_EQ(job.file_name, "leavers-fixed.csv");
  EXPECT_EQ(job.mapping.at("email"), "E-Mail");
  EXPECT_EQ(job.state, JobState::kValidated);
  EXPECT_TRUE(MakeWizard().View(id)->decisions.fixes.empty());
  // The new file is kept under its own digest; the old one is gone.
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(job)));
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(before)));
}

TEST_F(WizardTest, ACorrectedFileThatIsNoSpreadsheetChangesNothing) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  const ImportJob before = Check(id);
  Result<ImportJob> replaced =
      MakeWizard().ReplaceFile({id}, Incoming("%PDF-1.4\n"), "leavers-fixed.xlsx");
  EXPECT_EQ(replaced.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(replaced.status().message(), HasSubstr("leavers-fixed.xlsx"));
  ImportJob after = Job(id);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.file_sha256, before.file_sha256);
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(after)));
}

TEST_F(WizardTest, ACorrectedCsvFileKeepsItsHeaderRow) {
  const int64_t id = Start("HR export\nE-Mail\nzed@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.ChooseSheet({id}, "leavers", 2).ok());
  Result<ImportJob> replaced = wizard.ReplaceFile(
      {id}, Incoming("HR export\nE-Mail\nbob.jones@acme.example\n"), "leavers (2).csv");
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(Job(id).header_row, 2);
  EXPECT_EQ(Job(id).sheet, "leavers (2)");
  EXPECT_EQ(Check(id).counts.to_delete, 1);
}

TEST_F(WizardTest, ACancelledCheckLeavesTheJobUnchecked) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard wizard = MakeWizard();
  EXPECT_EQ(wizard.CancelCheck({id}).status().code(), ErrorCode::kFailedPrecondition);
  const ImportJob asked = *wizard.RequestCheck({id});
  EXPECT_EQ(wizard.RequestCheck({id})->version, asked.version);  // asked once
  Result<ImportJob> cancelled = wizard.CancelCheck({id});
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->state, JobState::kUploaded);
  EXPECT_EQ(cancelled->error, "The check was cancelled.");
  // A check that was running finds it changed and stops: nothing of it is saved.
  EXPECT_EQ(wizard.RunCheck(asked).status().code(), ErrorCode::kAborted);
  EXPECT_EQ(Job(id).state, JobState::kUploaded);
}

TEST_F(WizardTest, ACheckStopsWhenToldToAndSavesNothing) {
  std::string text = "E-Mail\n";
  for (int i = 0; i < 20'000; ++i) text += "anna.schmidt@acme.example\n";
  const int64_t id = Start(text);
  import::Wizard wizard = MakeWizard();
  const ImportJob asked = *wizard.RequestCheck({id});
  int64_t asked_to_go_on = 0;
  Result<ImportJob> stopped = wizard.RunCheck(asked, {{}, [&] { return ++asked_to_go_on < 2; }});
  EXPECT_EQ(stopped.status().code(), ErrorCode::kAborted);
  EXPECT_THAT(stopped.status().message(), HasSubstr("was stopped"));
  EXPECT_EQ(asked_to_go_on, 2);
  ImportJob job = Job(id);
  EXPECT_EQ(job.state, JobState::kChecking);
  EXPECT_EQ(job.version, asked.version);
}

TEST_F(WizardTest, AnAdminCannotDeleteThemselvesByImport) {
  AddUser("admin@acme.example");
  const int64_t id = Start("E-Mail\nAdmin@ACME.example\nbob.jones@acme.example\n");
  import::Wizard wizard = MakeWizard();
  EXPECT_EQ(Check(id).state, JobState::kMapped);
  EXPECT_EQ(store_->CountIssues(acme_.id, id)->at("own_address"), 1);
  ASSERT_TRUE(wizard.Exclude({id}, 2).ok());
  Check(id);
  ASSERT_TRUE(Confirm(id, false).ok());
  ASSERT_TRUE(store_->ClaimNextJob("w")->has_value());
  ASSERT_TRUE(wizard.Run(id, "w", "admin@acme.example", {}).ok());
  EXPECT_THAT(RemainingEmails(), ::testing::Contains("admin@acme.example"));
  EXPECT_EQ(Job(id).counts.deleted, 1);
}

TEST_F(WizardTest, ACancelledJobKeepsNoFileAndCannotRun) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard wizard = MakeWizard();
  Check(id);
  ASSERT_TRUE(wizard.Cancel({id}).ok());
  EXPECT_EQ(Job(id).state, JobState::kCancelled);
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(Job(id))));
  EXPECT_EQ(Confirm(id, false).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(RemainingEmails().size(), 3u);
}

TEST_F(WizardTest, AnotherOrganizationSeesNoJob) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard other(*store_, globex_, files_, sheet::Limits(), random_);
  EXPECT_EQ(other.View(id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Check({id}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.RequestCheck({id}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Cancel({id}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Confirm(id, 1, true, "admin@globex.example").status().code(),
            ErrorCode::kNotFound);
}

TEST_F(WizardTest, RemovesOnlyExpiredIncomingFilesAndReports) {
  std::filesystem::path fresh = Incoming("x");
  std::filesystem::path old = Incoming("y");
  std::filesystem::last_write_time(
      old, std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  std::filesystem::last_write_time(
      files_.UploadOf(Job(id)),
      std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  EXPECT_EQ(files_.RemoveExpired(24 * 3600), 1);
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(old));
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(Job(id))));  // its job is not over
}

}  // namespace
}  // namespace roster::testing
