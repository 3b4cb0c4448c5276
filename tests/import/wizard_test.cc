// The console's wizard over a stored job: each step stores what was decided, re-validates
// where the issue says so, and nothing runs on a plan made for other choices.

#include "import/wizard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/import_fixture.h"

namespace roster::testing {
namespace {

using ::testing::ElementsAre;

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

  roster::import::Wizard MakeWizard() {
    return import::Wizard(*store_, acme_, files_, sheet::Limits(), random_);
  }

  int64_t Start(const std::string& text, ImportMode mode = ImportMode::kDelete) {
    import::Wizard wizard = MakeWizard();
    Result<ImportJob> job = wizard.Start(mode, Incoming(text), "leavers.csv", "admin@acme.example");
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? job->id : 0;
  }

  ImportJob Job(int64_t id) { return *store_->GetJob(acme_.id, id); }

  import::JobFiles files_{dir_.path() / "files"};
};

TEST_F(WizardTest, StartsWithTheFirstSheetHeaderRowOneAndTheAutomaticMapping) {
  const int64_t id = Start("Name,E-Mail\nAnna,anna.schmidt@acme.example\n");
  ImportJob job = Job(id);
  EXPECT_EQ(job.state, JobState::kUploaded);
  EXPECT_EQ(job.header_row, 1);
  EXPECT_EQ(job.mapping, (std::map<std::string, std::string>{{"email", "E-Mail"}}));
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(id)));
  Result<import::WizardView> view = MakeWizard().View(id, import::Wizard::Detail::kPreview);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->columns.size(), 2u);
  EXPECT_FALSE(view->columns[0].attribute);
  EXPECT_TRUE(view->columns[1].automatic);
  EXPECT_EQ(view->preview.size(), 2u);
}

TEST_F(WizardTest, RefusesAFileThatIsNotASpreadsheetAndStoresNothing) {
  import::Wizard wizard = MakeWizard();
  std::filesystem::path incoming = Incoming("%PDF-1.4\n");
  Result<ImportJob> job = wizard.Start(ImportMode::kDelete, incoming, "leavers.xlsx", "a");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(job.status().message(), ::testing::HasSubstr("leavers.xlsx"));
  EXPECT_TRUE(store_->ListJobs(acme_.id, 0, 10)->empty());
}

TEST_F(WizardTest, RefusesAFileBrokenPastItsFirstRowsAndStoresNothing) {
  sheet::Limits limits;
  limits.max_rows = 3;
  import::Wizard wizard(*store_, acme_, files_, limits, random_);
  // The preview needs two rows; only reading on finds the fourth data row, or the open quote.
  Result<ImportJob> job = wizard.Start(ImportMode::kDelete,
                                       Incoming("E-Mail\na@x.example\nb@x.example\n"
                                                "c@x.example\nd@x.example\n"),
                                       "long.csv", "a");
  EXPECT_EQ(job.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_THAT(job.status().message(), ::testing::HasSubstr("long.csv has more than 3 data rows"));
  job = wizard.Start(ImportMode::kDelete,
                     Incoming("E-Mail\nanna.schmidt@acme.example\n\"bob.jones@acme.example\n"),
                     "quote.csv", "a");
  EXPECT_EQ(job.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(job.status().message(),
              ::testing::HasSubstr("quote.csv: a quote opened in row 3 is never closed"));
  EXPECT_TRUE(store_->ListJobs(acme_.id, 0, 10)->empty());

  // A corrected file like that leaves the job and its upload as they were.
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  const std::string sha256 = Job(id).file_sha256;
  Status replaced = wizard.ReplaceFile(
      id, Incoming("E-Mail\na@x.example\nb@x.example\nc@x.example\nd@x.example\n"), "long.csv");
  EXPECT_EQ(replaced.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(Job(id).file_name, "leavers.csv");
  EXPECT_EQ(Job(id).file_sha256, sha256);
  std::ifstream upload(files_.UploadOf(id));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(upload), {}),
            "E-Mail\nanna.schmidt@acme.example\n");
}

TEST_F(WizardTest, FixesAndExclusionsRevalidateAndUnlockExecution) {
  const int64_t id =
      Start("E-Mail\nanna.schmidt@acme.example\nbob.jnoes@acme.example\nzed@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.Validate(id).ok());
  EXPECT_EQ(Job(id).state, JobState::kMapped);
  EXPECT_EQ(Job(id).counts.errors, 2);
  EXPECT_EQ(wizard.Confirm(id, false, "admin@acme.example").status().code(),
            ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(wizard.Fix(id, 3, "bob.jones@acme.example").ok());
  EXPECT_EQ(Job(id).counts.errors, 1);
  ASSERT_TRUE(wizard.ExcludeErrors(id).ok());
  EXPECT_EQ(Job(id).state, JobState::kValidated);
  EXPECT_EQ(Job(id).counts.to_delete, 2);
  Result<import::WizardView> view = wizard.View(id, import::Wizard::Detail::kJob);
  EXPECT_THAT(view->decisions.excluded_rows, ElementsAre(4));
  // Taking the exclusion back brings the error back.
  ASSERT_TRUE(wizard.Include(id, 4).ok());
  EXPECT_EQ(Job(id).state, JobState::kMapped);
  EXPECT_EQ(wizard.Include(id, 4).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(wizard.Exclude(id, 4).ok());

  Result<ImportJob> queued = wizard.Confirm(id, /*delete_elearning=*/true, "admin@acme.example");
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_EQ(queued->state, JobState::kQueued);
  EXPECT_EQ(queued->confirmed_by, "admin@acme.example");
  EXPECT_TRUE(queued->delete_elearning);
  // Confirmed twice (two tabs): queued once.
  EXPECT_EQ(wizard.Confirm(id, true, "admin@acme.example").status().code(),
            ErrorCode::kFailedPrecondition);
  Result<std::optional<ImportJob>> claimed = store_->ClaimNextJob("w");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, id);
  Result<import::ExecutionResult> run = wizard.Run(id, "w", "admin@acme.example", {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->job.counts.deleted, 2);
  EXPECT_EQ(run->outcome.elearning_deleted, 1);
  EXPECT_THAT(RemainingEmails(), ElementsAre("carla.diaz@acme.example"));
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(id)));
  EXPECT_TRUE(std::filesystem::exists(files_.ReportOf(id, "xlsx")));
  EXPECT_TRUE(std::filesystem::exists(files_.ReportOf(id, "csv")));
  EXPECT_EQ(wizard.Fix(id, 2, "x@acme.example").code(), ErrorCode::kFailedPrecondition);
}

TEST_F(WizardTest, ChangingTheMappingOrHeaderRowDropsTheOldPlan) {
  const int64_t id = Start("Export\nMail,Person\nanna.schmidt@acme.example,Anna\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.ChooseSheet(id, "leavers", 2).ok());
  EXPECT_EQ(Job(id).mapping.at("email"), "Mail");
  ASSERT_TRUE(wizard.Validate(id).ok());
  EXPECT_EQ(Job(id).state, JobState::kValidated);
  ASSERT_TRUE(wizard.SetMapping(id, {{"email", "Person"}}).ok());
  EXPECT_EQ(Job(id).state, JobState::kUploaded);
  EXPECT_EQ(Job(id).counts.to_delete, 0);
  EXPECT_TRUE(store_->LoadPlan(acme_.id, id)->empty());
  EXPECT_EQ(wizard.Confirm(id, false, "admin@acme.example").status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(wizard.SetMapping(id, {{"salary", "Mail"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(wizard.ChooseSheet(id, "Nope", 1).code(), ErrorCode::kInvalidArgument);
  // Unassigned stays unassigned: the stored mapping is the whole mapping.
  ASSERT_TRUE(wizard.SetMapping(id, {{"email", std::nullopt}}).ok());
  ASSERT_TRUE(wizard.Validate(id).ok());
  EXPECT_EQ(store_->CountIssues(acme_.id, id)->at("column_not_mapped"), 1);
}

TEST_F(WizardTest, ACorrectedFileKeepsTheMappingAndDropsTheFixes) {
  const int64_t id = Start("E-Mail,Name\nzed@acme.example,Zed\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.Fix(id, 2, "zed2@acme.example").ok());
  Status replaced = wizard.ReplaceFile(id, Incoming("Name,E-Mail\nBob,bob.jones@acme.example\n"),
                                       "leavers-fixed.csv");
  ASSERT_TRUE(replaced.ok()) << replaced.ToString();
  ImportJob job = Job(id);
  EXPECT_EQ(job.file_name, "leavers-fixed.csv");
  EXPECT_EQ(job.mapping.at("email"), "E-Mail");
  EXPECT_EQ(job.state, JobState::kValidated);
  EXPECT_TRUE(MakeWizard().View(id, import::Wizard::Detail::kJob)->decisions.fixes.empty());
}

TEST_F(WizardTest, ACorrectedCsvFileKeepsItsHeaderRow) {
  const int64_t id = Start("HR export\nE-Mail\nzed@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.ChooseSheet(id, "leavers", 2).ok());
  Status replaced = wizard.ReplaceFile(id, Incoming("HR export\nE-Mail\nbob.jones@acme.example\n"),
                                       "leavers (2).csv");
  ASSERT_TRUE(replaced.ok()) << replaced.ToString();
  EXPECT_EQ(Job(id).header_row, 2);
  EXPECT_EQ(Job(id).sheet, "leavers (2)");
  EXPECT_EQ(Job(id).counts.to_delete, 1);
}

TEST_F(WizardTest, AnAdminCannotDeleteThemselvesByImport) {
  AddUser("admin@acme.example");
  const int64_t id = Start("E-Mail\nAdmin@ACME.example\nbob.jones@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.Validate(id).ok());
  EXPECT_EQ(Job(id).state, JobState::kMapped);
  EXPECT_EQ(store_->CountIssues(acme_.id, id)->at("own_address"), 1);
  ASSERT_TRUE(wizard.Exclude(id, 2).ok());
  ASSERT_TRUE(wizard.Confirm(id, false, "admin@acme.example").ok());
  ASSERT_TRUE(store_->ClaimNextJob("w")->has_value());
  ASSERT_TRUE(wizard.Run(id, "w", "admin@acme.example", {}).ok());
  EXPECT_THAT(RemainingEmails(), ::testing::Contains("admin@acme.example"));
  EXPECT_EQ(Job(id).counts.deleted, 1);
}

TEST_F(WizardTest, ACancelledJobKeepsNoFileAndCannotRun) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard wizard = MakeWizard();
  ASSERT_TRUE(wizard.Validate(id).ok());
  ASSERT_TRUE(wizard.Cancel(id).ok());
  EXPECT_EQ(Job(id).state, JobState::kCancelled);
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(id)));
  EXPECT_EQ(wizard.Confirm(id, false, "admin@acme.example").status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(RemainingEmails().size(), 3u);
}

TEST_F(WizardTest, AnotherOrganizationSeesNoJob) {
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  import::Wizard other(*store_, globex_, files_, sheet::Limits(), random_);
  EXPECT_EQ(other.View(id, import::Wizard::Detail::kPreview).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Validate(id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Cancel(id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.Confirm(id, true, "admin@globex.example").status().code(), ErrorCode::kNotFound);
}

TEST_F(WizardTest, RemovesOnlyExpiredIncomingFilesAndReports) {
  std::filesystem::path fresh = Incoming("x");
  std::filesystem::path old = Incoming("y");
  std::filesystem::last_write_time(
      old, std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  const int64_t id = Start("E-Mail\nanna.schmidt@acme.example\n");
  std::filesystem::last_write_time(
      files_.UploadOf(id), std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  EXPECT_EQ(files_.RemoveExpired(24 * 3600), 1);
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(old));
  EXPECT_TRUE(std::filesystem::exists(files_.UploadOf(id)));  // its job is not over
}

}  // namespace
}  // namespace roster::testing
