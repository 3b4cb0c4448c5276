// Two things at once on one import job, on both backends: a check that took seconds meets a
// corrected file, a new mapping, an exclusion or a confirmation that came meanwhile. The
// interleavings are made on purpose, not by timing: a FaultInjectingStore runs the other
// admin's step (through a store of their own) just before the check saves what it found.
// Whatever interleaves, nothing computed from the job as it was is saved over what changed,
// and nothing runs that was not made from the file and settings the admin last saw.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/email.h"
#include "import/wizard.h"
#include "store/backends/open_store.h"
#include "store/support/fault_injecting_store.h"
#include "store/support/store_backends.h"

namespace roster::testing {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'764'000'000;

// The file the admin uploaded first: five leavers, each named many times over (so that it
// checks with warnings only), and the corrected file: five other people.
std::string LeaversX() {
  std::string text = "E-Mail\n";
  for (int i = 0; i < 400; ++i) text += "a" + std::to_string(i % 5) + "@acme.example\n";
  return text;
}
const char* const kLeaversY =
    "E-Mail\nb0@acme.example\nb1@acme.example\nb2@acme.example\nb3@acme.example\n"
    "b4@acme.example\n";

class WizardRaceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (!GetParam().skip.empty()) GTEST_SKIP() << GetParam().skip;
    Result<std::string> url = GetParam().fresh_url(dir_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    // The admin's connection, and the one of another admin (or another tab, or a worker).
    Result<std::unique_ptr<Store>> mine = OpenStore(*url, clock_);
    ASSERT_TRUE(mine.ok()) << mine.status().ToString();
    store_ = std::move(mine).value();
    Result<std::unique_ptr<Store>> theirs = OpenStore(*url, clock_);
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    other_ = std::move(theirs).value();
    faulty_ = std::make_unique<FaultInjectingStore>(*store_);
    acme_ = *store_->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
    std::vector<User> users;
    for (const char* prefix : {"a", "b"}) {
      for (int i = 0; i < 5; ++i) {
        User& user = users.emplace_back();
        user.email = prefix + std::to_string(i) + "@acme.example";
        user.email_key = *EmailKey(user.email);
        user.first_name = user.last_name = prefix;
      }
    }
    ASSERT_TRUE(store_->CreateUsers(acme_.id, users).ok());
    ASSERT_TRUE(files_.Prepare().ok());
  }

  std::filesystem::path Incoming(const std::string& text) {
    std::filesystem::path path = files_.NewIncomingPath(random_);
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }

  // The wizard as the checking worker sees it: through the store that injects the other step.
  import::Wizard Checker() {
    return import::Wizard(*faulty_, acme_, files_, sheet::Limits(), random_);
}
// The wizard of the other admin, on their own connection.
import::Wizard
Other() {
  return import::Wizard(*other_, acme_, files_, sheet::Limits(), random_);
}
import::Wizard Mine() { return import::Wizard(*store_, acme_, files_, sheet::Limits(), random_);
}  // namespace

ImportJob Job(int64_t id) { return *store_->GetJob(acme_.id, id); }

// Uploads X and checks it: validated, five users planned.
ImportJob CheckedX() {
  Result<ImportJob> started =
      Mine().Start(ImportMode::kDelete, Incoming(LeaversX()), "x.csv", "admin@acme.example");
  EXPECT_TRUE(started.ok()) << started.status().ToString();
  Result<ImportJob> checked = Mine().Check({started->id});
  EXPECT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->state, JobState::kValidated);
  EXPECT_EQ(checked->counts.to_delete, 5);
  return *checked;
}

// The admin asks for a check again, and a worker claims it.
ImportJob ClaimedCheck(const ImportJob& job) {
  EXPECT_TRUE(Mine().RequestCheck({job.id, job.version}).ok());
  Result<std::optional<ImportJob>> claimed = faulty_->ClaimNextCheck("worker");
  EXPECT_TRUE(claimed.ok() && claimed->has_value());
  return **claimed;
}

// Runs whatever check waits, as a worker would, and returns the job it left.
ImportJob RunWaitingCheck() {
  Result<std::optional<ImportJob>> claimed = store_->ClaimNextCheck("worker");
  EXPECT_TRUE(claimed.ok() && claimed->has_value());
  Result<ImportJob> checked = Mine().RunCheck(**claimed);
  EXPECT_TRUE(checked.ok()) << checked.status().ToString();
  return checked.ok() ? *checked : ImportJob{};
}

// Confirms the job as it is, claims and runs it; returns the addresses left.
std::vector<std::string> ConfirmAndRun(const ImportJob& job) {
  Result<ImportJob> queued = Mine().Confirm(job.id, job.version, false, "admin@acme.example");
  EXPECT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_TRUE(store_->ClaimNextJob("runner")->has_value());
  Result<import::ExecutionResult> run = Mine().Run(job.id, "runner", "admin@acme.example", {});
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  std::vector<std::string> left;
  Result<UserPage> page = store_->ListUsers(acme_.id, {"", UserSort::kEmail, false, 100, 0});
  for (const UserListEntry& entry : page->users) left.push_back(entry.user.email);
  return left;
}

TempDir dir_;
FixedClock clock_{kNow};
CountingRandom random_;
std::unique_ptr<Store> store_;
std::unique_ptr<Store> other_;
std::unique_ptr<FaultInjectingStore> faulty_;
Organization acme_;
import::JobFiles files_{dir_.path() / "files"};
};  // namespace roster::testing

// The race of issue 13: a second check of X runs; meanwhile Y replaces X. Before, the check
// saved X's plan over Y and the execution deleted X's users while the report named Y's.
TEST_P(WizardRaceTest, AFileReplacedWhileItsCheckRunsIsNeverPlannedFromTheOldFile) {
  const ImportJob x = CheckedX();
  const ImportJob claimed = ClaimedCheck(x);
  Result<ImportJob> replaced = Internal("not replaced");
  faulty_->Before("SaveFindings", 1, [&] {
    replaced = Other().ReplaceFile({x.id}, Incoming(kLeaversY), "y.csv");
    return Status::Ok();
  });
  Result<ImportJob> stale = Checker().RunCheck(claimed);
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(stale.status().code(), ErrorCode::kAborted) << stale.status().ToString();

  ImportJob job = Job(x.id);
  EXPECT_EQ(job.file_name, "y.csv");
  EXPECT_EQ(job.state, JobState::kChecking);
  EXPECT_EQ(job.counts.rows, 0);
  EXPECT_TRUE(store_->LoadPlan(acme_.id, x.id)->empty());
  EXPECT_EQ(Mine().Confirm(x.id, job.version, false, "a").status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(files_.UploadOf(x)));  // X is gone

  const ImportJob y = RunWaitingCheck();
  EXPECT_EQ(y.state, JobState::kValidated);
  EXPECT_EQ(y.counts.rows, 5);
  EXPECT_EQ(y.file_sha256, replaced->file_sha256);
  EXPECT_THAT(ConfirmAndRun(y),
              ::testing::ElementsAre("a0@acme.example", "a1@acme.example", "a2@acme.example",
                                     "a3@acme.example", "a4@acme.example"));
  Result<std::vector<AuditEvent>> audit = store_->ListAuditEvents(acme_.id, 0, 10);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_THAT(audit->front().details, HasSubstr(y.file_sha256));
  std::ifstream report(files_.ReportOf(x.id, "csv"));
  const std::string text(std::istreambuf_iterator<char>(report), {});
  EXPECT_THAT(text, HasSubstr("b0@acme.example"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("a0@acme.example")));
}

// The same race with a check that runs on the admin's own request thread (the command line).
TEST_P(WizardRaceTest, AFileReplacedWhileACheckOnTheCallersThreadRunsIsNotOverwritten) {
  const ImportJob x = CheckedX();
  faulty_->Before("SaveFindings", 1, [&] {
    EXPECT_TRUE(Other().ReplaceFile({x.id}, Incoming(kLeaversY), "y.csv").ok());
    return Status::Ok();
  });
  EXPECT_EQ(Checker().Check({x.id}).status().code(), ErrorCode::kAborted);
  EXPECT_EQ(Job(x.id).file_name, "y.csv");
  EXPECT_EQ(RunWaitingCheck().counts.to_delete, 5);
}

TEST_P(WizardRaceTest, AMappingChangedWhileTheCheckRunsIsKept) {
  const ImportJob x = CheckedX();
  const ImportJob claimed = ClaimedCheck(x);
  faulty_->Before("SaveFindings", 1, [&] {
    EXPECT_TRUE(Other().SetMapping({x.id}, {{"email", std::nullopt}}).ok());
    return Status::Ok();
  });
  EXPECT_EQ(Checker().RunCheck(claimed).status().code(), ErrorCode::kAborted);
  ImportJob job = Job(x.id);
  EXPECT_TRUE(job.mapping.empty());
  EXPECT_EQ(job.state, JobState::kUploaded);
  EXPECT_EQ(job.counts.to_delete, 0);
}

TEST_P(WizardRaceTest, AnExclusionMadeWhileTheCheckRunsIsKeptAndCheckedAgain) {
  const ImportJob x = CheckedX();
  const ImportJob claimed = ClaimedCheck(x);
  faulty_->Before("SaveFindings", 1, [&] {
    // Rows 2 and 7 name a0: excluding both leaves a0 out.
    EXPECT_TRUE(Other().Exclude({x.id}, 2).ok());
    return Status::Ok();
  });
  EXPECT_EQ(Checker().RunCheck(claimed).status().code(), ErrorCode::kAborted);
  EXPECT_EQ(Job(x.id).state, JobState::kChecking);
  const ImportJob checked = RunWaitingCheck();
  EXPECT_EQ(checked.counts.excluded_rows, 1);
  EXPECT_EQ(checked.counts.to_delete, 5);  // a0 is still named by row 7
}

TEST_P(WizardRaceTest, ExcludingAllErrorsWhileTheCheckRunsIsRefusedNotLost) {
  const ImportJob x = CheckedX();
  ClaimedCheck(x);
  Result<ImportJob> excluded = Other().ExcludeErrors({x.id});
  EXPECT_EQ(excluded.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(excluded.status().message(), HasSubstr("once its check is done"));
}

TEST_P(WizardRaceTest, AConfirmationOfWhatTheAdminNoLongerSeesIsRefused) {
  const ImportJob seen = CheckedX();  // the summary on the admin's screen
  ASSERT_TRUE(Other().Exclude({seen.id}, 2).ok());
  const ImportJob now = RunWaitingCheck();
  EXPECT_EQ(now.state, JobState::kValidated);
  Result<ImportJob> confirmed = Mine().Confirm(seen.id, seen.version, true, "admin@acme.example");
  EXPECT_EQ(confirmed.status().code(), ErrorCode::kAborted);
  EXPECT_THAT(confirmed.status().message(), HasSubstr("changed meanwhile"));
  EXPECT_EQ(Job(seen.id).state, JobState::kValidated);
  EXPECT_FALSE(store_->ClaimNextJob("runner")->has_value());
}

// The kept file is not the one the job records (a disk restored from a backup, a file swapped
// by hand): a check refuses it, and an execution never reads it: it runs the plan of the
// file that was checked, and reports that file's rows.
TEST_P(WizardRaceTest, OnlyTheFileAJobRecordsIsCheckedAndItsPlanIsWhatRuns) {
  const ImportJob x = CheckedX();
  const auto swap = [&] {
    std::ofstream swapped(files_.UploadOf(x), std::ios::binary | std::ios::trunc);
    swapped << kLeaversY;
  };
  swap();
  Result<ImportJob> checked = Mine().Check(x.id);
  EXPECT_EQ(checked.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(checked.status().message(), HasSubstr("is not the file it records"));
  ImportJob refused = Job(x.id);
  EXPECT_EQ(refused.state, JobState::kUploaded);
  EXPECT_THAT(refused.error, HasSubstr("upload it again"));

  const ImportJob again = CheckedX();
  swap();
  EXPECT_THAT(ConfirmAndRun(again),
              ::testing::ElementsAre("b0@acme.example", "b1@acme.example", "b2@acme.example",
                                     "b3@acme.example", "b4@acme.example"));
  std::ifstream report(files_.ReportOf(again.id, "csv"));
  const std::string text(std::istreambuf_iterator<char>(report), {});
  EXPECT_THAT(text, HasSubstr("a0@acme.example"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("b0@acme.example")));
}

INSTANTIATE_TEST_SUITE_P(Backends, WizardRaceTest, ::testing::ValuesIn(StoreBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace roster::testing
