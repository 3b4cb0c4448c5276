// The delete flow end to end over a real SQLite store: analysis (mapping, issues,
// suggestions, counts), decisions, execution once, all or nothing, audit without addresses.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "import/worker.h"
#include "support/import_fixture.h"

namespace roster {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ImportFixture;
using ::testing::IsEmpty;

class DeleteImportTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    AddUser("anna.schmidt@acme.example", /*elearning=*/true);
    AddUser("bob.meier@acme.example");
    AddUser("carla.rossi@acme.example", /*elearning=*/true);
    AddUser("dieter.weiss@acme.example");
    AddUser("anna.schmidt@globex.example");
  }
};

std::vector<std::string> IssueSummary(const import::Analysis& analysis) {
  std::vector<std::string> lines;
  for (const ImportIssue& issue : analysis.issues) {
    std::string line = std::to_string(issue.row) + " " + std::string(IssueCodeName(issue.code)) +
                       " " + issue.value;
    if (issue.suggestion) line += " -> " + *issue.suggestion;
    lines.push_back(line);
  }
  return lines;
}

TEST_F(DeleteImportTest, CleanFileDeletesTheListedUsersAndTheirAccounts) {
  std::string path = WriteFile("leavers.csv",
                               "E-Mail-Adresse;Name\n"
                               "Anna.Schmidt@ACME.example ;Anna\n"
                               ";\n"
                               "bob.meier@acme.example;Bob\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_EQ(analysis->sheet, "leavers");
  EXPECT_EQ(analysis->mapping.ColumnOf(Attribute::kEmail), 0);
  EXPECT_THAT(analysis->issues, IsEmpty());
  EXPECT_EQ(analysis->counts.rows, 3);
  EXPECT_EQ(analysis->counts.empty_rows, 1);
  EXPECT_EQ(analysis->counts.to_delete, 2);
  EXPECT_EQ(analysis->counts.elearning_linked, 1);
  EXPECT_EQ(analysis->file_size, 81);
  EXPECT_EQ(analysis->file_sha256.size(), 64u);

  Result<import::ExecutionResult> run = Run(*analysis, {}, /*delete_elearning=*/true);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->job.state, JobState::kDone);
  EXPECT_EQ(run->outcome.deleted, 2);
  EXPECT_EQ(run->outcome.elearning_deleted, 1);
  EXPECT_EQ(run->job.counts.deleted, 2);
  EXPECT_THAT(RemainingEmails(),
              ElementsAre("carla.rossi@acme.example", "dieter.weiss@acme.example"));
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 1);  // carla's
  EXPECT_EQ(*store_->CountUsers(globex_.id), 1);  // the same address elsewhere is untouched
}

TEST_F(DeleteImportTest, WithoutTheCascadeAccountsStayUnlinkedWithTheirHistory) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  Result<import::ExecutionResult> run = Run(*analysis, {}, /*delete_elearning=*/false);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->outcome.deleted, 1);
  EXPECT_EQ(run->outcome.elearning_unlinked, 1);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 2);
  Result<ElearningAccount> account = store_->GetElearningAccount(acme_.id, 1);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->user_id, std::nullopt);
  EXPECT_EQ(store_->ListProgress(acme_.id, account->id)->size(), 1u);
  EXPECT_EQ(store_->ListCertificates(acme_.id, account->id)->size(), 1u);
}

TEST_F(DeleteImportTest, ListsEveryErrorWithRowValueAndSuggestion) {
  std::string path = WriteFile("leavers.csv",
                               "Name,Email\n"
                               "Anna,anna.schmidt@acme.example\n"
                               "Bob,bob.meier@acme\n"
                               "Carla,carla.rosi@acme.example\n"
                               "Dieter,\n"
                               "Anna again,ANNA.SCHMIDT@acme.example\n"
                               "Eve,mailto:dieter.weiss@acme.example\n"
                               "Other,anna.schmidt@globex.example\n"
                               "Typo,bob.meier@acme.exmaple\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_THAT(IssueSummary(*analysis),
              ElementsAre("3 invalid_email bob.meier@acme",
                          "4 not_found carla.rosi@acme.example -> "
                          "carla.rossi@acme.example",
                          "5 missing_email ", "6 duplicate_email ANNA.SCHMIDT@acme.example",
                          "7 invalid_email mailto:dieter.weiss@acme.example -> "
                          "dieter.weiss@acme.example",
                          "8 not_found anna.schmidt@globex.example",
                          "9 not_found bob.meier@acme.exmaple -> bob.meier@acme.example"));
  EXPECT_TRUE(analysis->HasErrors());
  EXPECT_EQ(analysis->counts.errors, 6);
  EXPECT_EQ(analysis->counts.warnings, 1);
  EXPECT_EQ(analysis->counts.duplicates, 1);
  EXPECT_EQ(analysis->counts.to_delete, 1);
  EXPECT_EQ(analysis->issues[0].column, "Email");
  EXPECT_EQ(analysis->issues[3].severity, Severity::kWarning);
  EXPECT_THAT(analysis->issues[0].message, HasSubstr("has no dot"));
  EXPECT_THAT(analysis->issues[1].message, HasSubstr("No user of this organization"));
}

TEST_F(DeleteImportTest, ARepairThatNamesNobodyPointsToTheNearestUser) {
  std::string path = WriteFile("leavers.csv",
                               "Email\n"
                               "mailto:ana.schmidt@acme.example\n"
                               "Bob <bob.meier@acme.example>\n"
                               "mailto:nobody.at.all@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  EXPECT_THAT(IssueSummary(*analysis),
              ElementsAre("2 invalid_email mailto:ana.schmidt@acme.example -> "
                          "anna.schmidt@acme.example",
                          "3 invalid_email Bob <bob.meier@acme.example> -> bob.meier@acme.example",
                          "4 invalid_email mailto:nobody.at.all@acme.example -> "
                          "nobody.at.all@acme.example"));
}

TEST_F(DeleteImportTest, NothingRunsWhileAnErrorIsUnresolved) {
  std::string path =
      WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\nnobody@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  Result<import::ExecutionResult> run = Run(*analysis, {}, false);
  EXPECT_EQ(run.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(run.status().message(),
              HasSubstr("has 1 unresolved error; nothing changes until it is fixed"));
  EXPECT_EQ(RemainingEmails().size(), 4u);
}

TEST_F(DeleteImportTest, FixesAndExclusionsResolveErrors) {
  std::string path = WriteFile("leavers.csv",
                               "Email\n"
                               "anna.schmidt@acme.example\n"
                               "carla.rosi@acme.example\n"
                               "nobody@acme.example\n"
                               "bob.meier@acme\n");
  import::ImportSettings settings;
  settings.decisions.fixes[3] = "carla.rossi@acme.example";
  settings.decisions.excluded_rows.insert(4);
  settings.decisions.exclude_errors = true;
  Result<import::Analysis> analysis = Analyze(path, settings);
  ASSERT_TRUE(analysis.ok());
  EXPECT_THAT(analysis->issues, IsEmpty());
  EXPECT_EQ(analysis->counts.excluded_rows, 2);
  EXPECT_EQ(analysis->counts.to_delete, 2);
  ASSERT_TRUE(Run(*analysis, settings, false).ok());
  EXPECT_THAT(RemainingEmails(),
              ElementsAre("bob.meier@acme.example", "dieter.weiss@acme.example"));
}

TEST_F(DeleteImportTest, HeaderRowBelowATitleAndManualMapping) {
  std::string path = WriteFile("hr.csv",
                               "Leavers March,,\n"
                               "Personal address,Work address,Dept\n"
                               "anna@private.example,anna.schmidt@acme.example,IT\n");
  import::ImportSettings settings;
  settings.header_row = 2;
  Result<import::Analysis> automatic = Analyze(path, settings);
  ASSERT_TRUE(automatic.ok());
  EXPECT_EQ(automatic->counts.errors, 1);
  ASSERT_EQ(automatic->issues.size(), 1u);
  EXPECT_EQ(automatic->issues[0].code, IssueCode::kColumnNotMapped);

  settings.manual_mapping = {{"Work address", "email"}};
  Result<import::Analysis> manual = Analyze(path, settings);
  ASSERT_TRUE(manual.ok());
  EXPECT_THAT(manual->issues, IsEmpty());
  EXPECT_EQ(manual->counts.rows, 1);
  EXPECT_EQ(manual->counts.to_delete, 1);

  settings.manual_mapping = {{"Mobile", "email"}};
  EXPECT_EQ(Analyze(path, settings).status().code(), ErrorCode::kInvalidArgument);
  settings.manual_mapping = {{"Work address", "shoe_size"}};
  Result<import::Analysis> unknown = Analyze(path, settings);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown attribute 'shoe_size'"));
}

TEST_F(DeleteImportTest, UnknownSheetOrHeaderRowIsRefused) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  import::ImportSettings settings;
  settings.sheet = "Staff";
  Result<import::Analysis> analysis = Analyze(path, settings);
  EXPECT_EQ(analysis.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(analysis.status().message(),
            "leavers.csv: the workbook has no sheet 'Staff'; its sheets are 'leavers'");
  settings.sheet = "1";
  EXPECT_TRUE(Analyze(path, settings).ok());
  settings.header_row = 0;
  EXPECT_EQ(Analyze(path, settings).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(DeleteImportTest, AFileOverTheSizeLimitIsRefusedWithoutReadingIt) {
  // 64 GiB, sparse: hashing it before the size check would take minutes.
  std::string path = WriteFile("huge.csv", "Email\nanna.schmidt@acme.example\n");
  std::filesystem::resize_file(path, uintmax_t{64} << 30);
  const auto start = std::chrono::steady_clock::now();
  Result<import::Analysis> analysis = Analyze(path);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(analysis.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_THAT(analysis.status().message(),
              HasSubstr("huge.csv is 65536 MB, larger than the limit of 100 MB"));
  EXPECT_LT(seconds, 2.0);
}

TEST_F(DeleteImportTest, AnXlsHiddenSheetIsNeverChosen) {
  // The golden file's second sheet "Archiv" is hidden and holds data; the reader reads that
  // from the BOUNDSHEET records, so the automatic choice skips it for the third sheet.
  const char* root = std::getenv("ROSTER_SOURCE_DIR");  // CTest runs tests from the root too
  std::string source = std::string(root != nullptr ? root : ".") +
                       "/tests/data/golden/delete_second_sheet.libreoffice.xls";
  Result<import::Analysis> automatic = Analyze(source);
  ASSERT_TRUE(automatic.ok()) << automatic.status().ToString();
  EXPECT_EQ(automatic->sheet, "Austritte");  // delete_second_sheet.expected.json's "sheet"
  EXPECT_EQ(RemainingEmails().size(), 4u);
}

TEST_F(DeleteImportTest, AJobExecutesOnce) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  Result<ImportJob> job = import::RecordJob(*store_, acme_, {}, *analysis, "test");
  ASSERT_TRUE(job.ok());
  import::ExecuteRequest request = Request(job->id);
  ASSERT_TRUE(import::ExecuteJob(*store_, acme_, request).ok());
  // The same address is back, as a new user: a second run must not delete it.
  AddUser("anna.schmidt@acme.example");
  Result<import::ExecutionResult> again = import::ExecuteJob(*store_, acme_, request);
  EXPECT_EQ(again.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("is done: it runs only once"));
  EXPECT_EQ(RemainingEmails().size(), 4u);
}

TEST_F(DeleteImportTest, UsersGoneOrChangedSinceThePlanAreCountedNotGuessed) {
  std::string path = WriteFile("leavers.csv",
                               "Email\nanna.schmidt@acme.example\nbob.meier@acme.example\n"
                               "carla.rossi@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  Result<ImportJob> job = import::RecordJob(*store_, acme_, {}, *analysis, "test");
  ASSERT_TRUE(job.ok());
  // Between the summary and the confirmation, anna is deleted by hand and bob's address is
  // changed to another person's: neither may be deleted by this job.
  std::vector<PlannedDeletion> plan = *store_->LoadPlan(acme_.id, job->id);
  ASSERT_EQ(plan.size(), 3u);
  ASSERT_TRUE(store_->DeleteUser(acme_.id, plan[0].user_id, false, {}).ok());
  User bob = *store_->GetUser(acme_.id, plan[1].user_id);
  bob.email = bob.email_key = "bruno.neu@acme.example";
  ASSERT_TRUE(store_->UpdateUser(acme_.id, bob).ok());

  Result<import::ExecutionResult> run = import::ExecuteJob(*store_, acme_, Request(job->id));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->outcome.deleted, 1);
  EXPECT_EQ(run->outcome.already_gone, 2);
  EXPECT_THAT(run->outcome.gone_rows, ElementsAre(2, 3));
  EXPECT_EQ(run->job.counts.already_gone, 2);
  EXPECT_THAT(RemainingEmails(),
              ElementsAre("bruno.neu@acme.example", "dieter.weiss@acme.example"));
}

TEST_F(DeleteImportTest, OneExecutionPerOrganization) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  Result<import::Analysis> first = Analyze(path);
  Result<import::Analysis> second = Analyze(path);
  ASSERT_TRUE(first.ok() && second.ok());
  Result<ImportJob> job1 = import::RecordJob(*store_, acme_, {}, *first, "test");
  Result<ImportJob> job2 = import::RecordJob(*store_, acme_, {}, *second, "test");
  ASSERT_TRUE(store_->ClaimJob(acme_.id, job1->id, job1->version, import::ThisWorker()).ok());
  Status blocked = store_->ClaimJob(acme_.id, job2->id, job2->version, import::ThisWorker());
  EXPECT_EQ(blocked.code(), ErrorCode::kAborted);
  EXPECT_THAT(blocked.message(), HasSubstr("another import of this organization"));
}

TEST_F(DeleteImportTest, AJobOfADeadWorkerIsInterruptedAndRunsAgain) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  Result<ImportJob> job = import::RecordJob(*store_, acme_, {}, *analysis, "test");
  ASSERT_TRUE(job.ok());
  // A worker name of this host whose process start time cannot match: a dead process.
  std::string dead = import::ThisWorker();
  dead = dead.substr(0, dead.rfind(':')) + ":1";
  ASSERT_TRUE(store_->ClaimJob(acme_.id, job->id, job->version, dead).ok());
  EXPECT_EQ(*store_->RecoverInterruptedJobs(import::LivenessOf), 1);
  EXPECT_EQ(store_->GetJob(acme_.id, job->id)->state, JobState::kInterrupted);
  Result<import::ExecutionResult> run = import::ExecuteJob(*store_, acme_, Request(job->id));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->outcome.deleted, 1);
}

TEST_F(DeleteImportTest, AuditKeepsCountsAndHashesNeverAddresses) {
  std::string path =
      WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\nbob.meier@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  ASSERT_TRUE(analysis.ok());
  ASSERT_TRUE(Run(*analysis, {}, true).ok());
  Result<std::vector<AuditEvent>> events = store_->ListAuditEvents(acme_.id, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, "import.delete");
  EXPECT_EQ((*events)[0].address_hash_count, 2);
  EXPECT_THAT((*events)[0].details, HasSubstr(analysis->file_sha256));
  EXPECT_THAT((*events)[0].details, ::testing::Not(HasSubstr("anna")));
  EXPECT_THAT((*events)[0].details, ::testing::Not(HasSubstr("acme.example")));
  // The finished job keeps counts, not the plan or the issues.
  EXPECT_TRUE(store_->LoadPlan(acme_.id, 1)->empty());
}

TEST_F(DeleteImportTest, AnotherOrganizationsJobIsNotFound) {
  std::string path = WriteFile("leavers.csv", "Email\nanna.schmidt@acme.example\n");
  Result<import::Analysis> analysis = Analyze(path);
  Result<ImportJob> job = import::RecordJob(*store_, acme_, {}, *analysis, "test");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(store_->GetJob(globex_.id, job->id).status().code(), ErrorCode::kNotFound);
  Result<import::ExecutionResult> foreign = import::ExecuteJob(*store_, globex_, Request(job->id));
  EXPECT_EQ(foreign.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(RemainingEmails().size(), 4u);
}

}  // namespace
}  // namespace roster
