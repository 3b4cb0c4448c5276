// Add/update mode over a real SQLite store: creates, updates, unchanged rows, defaults,
// groups, keying by Roster ID to change an address, and every refusal as an issue.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/import_fixture.h"

namespace roster {
namespace {

using ::testing::ElementsAre;
using testing::ImportFixture;
using ::testing::IsEmpty;

roster::import::ImportSettings AddUpdate() {
  import::ImportSettings settings;
  settings.mode = ImportMode::kAddUpdate;
  return settings;
}

std::vector<std::string> Codes(const import::Analysis& analysis) {
  std::vector<std::string> codes;
  for (const ImportIssue& issue : analysis.issues) {
    codes.push_back(std::to_string(issue.row) + " " + issue.column + " " +
                    std::string(IssueCodeName(issue.code)));
  }
  return codes;
}

class AddUpdateImportTest : public ImportFixture {};

TEST_F(AddUpdateImportTest, CreatesUpdatesAndLeavesUnchangedUsersAlone) {
  User anna = AddUser("anna@acme.example");
  AddUser("bob@acme.example");
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "new@acme.example").ok());
  std::string path = WriteFile("staff.csv",
                               "Email,First name,Last name,Department,Language,Groups\n"
                               "anna@acme.example,First,Last,Finance,,\n"
                               "bob@acme.example,First,Last,,,\n"
                               "new@acme.example,Nina,Neu,IT,DE,\"Berlin, Admins\"\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_THAT(analysis->issues, IsEmpty());
  EXPECT_EQ(analysis->counts.to_create, 1);
  EXPECT_EQ(analysis->counts.to_update, 1);
  EXPECT_EQ(analysis->counts.unchanged, 1);

  Result<import::ExecutionResult> run = Run(*analysis, AddUpdate(), false);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->upsert_outcome.created, 1);
  EXPECT_EQ(run->upsert_outcome.updated, 1);
  EXPECT_EQ(run->job.counts.created, 1);
  EXPECT_EQ(store_->GetUser(acme_.id, anna.id)->department, "Finance");
  Result<UserPage> page = store_->ListUsers(acme_.id, {"new@", UserSort::kEmail, false, 10, 0});
  ASSERT_EQ(page->users.size(), 1u);
  const User& created = page->users[0].user;
  EXPECT_EQ(created.first_name, "Nina");
  EXPECT_EQ(created.language, "de");
  EXPECT_EQ(created.gender, "other");
  EXPECT_TRUE(page->users[0].elearning_account_id.has_value());  // the waiting account links
  EXPECT_THAT(store_->GetUser(acme_.id, created.id)->groups, ElementsAre("Admins", "Berlin"));
}

TEST_F(AddUpdateImportTest, RosterIdChangesAnAddress) {
  User anna = AddUser("anna@acme.example");
  std::string path =
      WriteFile("staff.csv", "Roster ID,Email,First name,Last name\n" + std::to_string(anna.id) +
                                 ",anna.schmidt@acme.example,Anna,Schmidt\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok());
  EXPECT_THAT(analysis->issues, IsEmpty());
  EXPECT_EQ(analysis->counts.to_update, 1);
  ASSERT_TRUE(Run(*analysis, AddUpdate(), false).ok());
  EXPECT_EQ(store_->GetUser(acme_.id, anna.id)->email, "anna.schmidt@acme.example");
}

TEST_F(AddUpdateImportTest, EveryRefusalIsAnIssueOfItsRow) {
  AddUser("anna@acme.example");
  AddUser("bob@acme.example");
  std::string path = WriteFile("staff.csv",
                               "Roster ID,Email,First name,Last name,Gender,Language,Address type\n"
                               ",carl@other.example,Carl,C,,,\n"
                               ",dora@acme.example,,D,,,\n"
                               ",emil@acme.example,Emil,E,robot,xx,shared\n"
                               ",fritz@acme,Fritz,F,,,\n"
                               ",gina@acme.example,Gina,G,,,\n"
                               ",GINA@acme.example,Gina,G,,,\n"
                               "abc,hans@acme.example,Hans,H,,,\n"
                               "9999,ida@acme.example,Ida,I,,,\n"
                               "1,bob@acme.example,Anna,A,,,\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_THAT(Codes(*analysis),
              ElementsAre("2 Email domain_not_allowed", "3 First name missing_required",
                          "4 Gender invalid_value", "4 Address type invalid_value",
                          "4 Language invalid_value", "5 Email invalid_email",
                          "7 Email duplicate_email", "8 Roster ID invalid_value",
                          "9 Roster ID not_found", "10 Email duplicate_email"));
  EXPECT_EQ(analysis->counts.errors, 8);
  EXPECT_EQ(analysis->counts.to_create, 1);
  EXPECT_EQ(Run(*analysis, AddUpdate(), false).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 2);
}

TEST_F(AddUpdateImportTest, RequiredColumnsMustBeMapped) {
  std::string path = WriteFile("staff.csv", "Email,Department\na@acme.example,IT\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok());
  EXPECT_THAT(Codes(*analysis),
              ElementsAre("0 First name column_not_mapped", "0 Last name column_not_mapped"));
}

TEST_F(AddUpdateImportTest, EmptyCellsKeepWhatAUserHas) {
  User anna = AddUser("anna@acme.example");
  User with_department = anna;
  with_department.department = "Legal";
  ASSERT_TRUE(store_->UpdateUser(acme_.id, with_department).ok());
  std::string path = WriteFile(
      "staff.csv", "Email,First name,Last name,Department\nanna@acme.example,First,Last,\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok());
  EXPECT_EQ(analysis->counts.unchanged, 1);
  EXPECT_EQ(analysis->counts.to_update, 0);
}

TEST_F(AddUpdateImportTest, AUserChangedAfterThePlanIsLeftAlone) {
  User anna = AddUser("anna@acme.example");
  std::string path =
      WriteFile("staff.csv", "Email,First name,Last name\nanna@acme.example,Anna,Schmidt\n");
  Result<import::Analysis> analysis = Analyze(path, AddUpdate());
  ASSERT_TRUE(analysis.ok());
  clock_.Set(clock_.NowSeconds() + 10);
  User edited = anna;
  edited.department = "Edited meanwhile";
  ASSERT_TRUE(store_->UpdateUser(acme_.id, edited).ok());
  Result<import::ExecutionResult> run = Run(*analysis, AddUpdate(), false);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->upsert_outcome.updated, 0);
  EXPECT_EQ(run->upsert_outcome.changed_meanwhile, 1);
  EXPECT_EQ(store_->GetUser(acme_.id, anna.id)->first_name, "First");
}

}  // namespace
}  // namespace roster
