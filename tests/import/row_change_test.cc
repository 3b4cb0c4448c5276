// A change of one row (a fix, an exclusion, taking it back) applied to a checked delete job at
// once must leave exactly what a check of the whole file would: the same counts, issues,
// plan and row records. Pinned by a long deterministic walk of random changes on both
// backends, each compared with a check of the file from scratch; and the change reads neither
// the file nor the organization's users.

#include "import/row_change.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/email.h"
#include "import/row_records.h"
#include "import/wizard.h"
#include "store/support/fault_injecting_store.h"
#include "store/support/store_backends.h"

namespace roster::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kUsers = 12;

std::string Address(int i) { return "user" + std::to_string(i) + "@acme.example"; }

// Rows 2..: users (some twice), typos, unknown and empty addresses, the admin's own.
std::string File() {
  std::string text = "E-Mail,Name\n";
  const std::vector<std::string> cells = {Address(0),
                                          Address(1),
                                          "user2@acme.exmaple",
                                          Address(3),
                                          "",
                                          Address(1),
                                          "nobody@acme.example",
                                          "admin@acme.example",
                                          "not an address",
                                          Address(4),
                                          Address(0),
                                          "USER5@acme.example",
                                          Address(6),
                                          "user7 @acme.example",
                                          Address(3),
                                          ""};
  for (size_t i = 0; i < cells.size(); ++i) {
    text += cells[i] + "," + (cells[i].empty() && i % 2 == 0 ? "" : "Person") + "\n";
  }
  return text;
}

// Everything a job's findings say, as text, to compare two ways of making them. With
// `nearest` false, the nearest-address suggestion of a row not in the list is left out: a
// change of one row does not search the organization's addresses for it (a repair of an
// invalid address it does offer).
std::string Findings(Store& store, const ImportJob& job, bool nearest = true) {
  std::string text = "state " + std::string(JobStateName(job.state)) + "\n";
  const ImportCounts& c = job.counts;
  text += "counts rows=" + std::to_string(c.rows) + " empty=" + std::to_string(c.empty_rows) +
          " excluded=" + std::to_string(c.excluded_rows) +
          " duplicates=" + std::to_string(c.duplicates) + " errors=" + std::to_string(c.errors) +
          " warnings=" + std::to_string(c.warnings) + " to_delete=" + std::to_string(c.to_delete) +
          " elearning=" + std::to_string(c.elearning_linked) + "\n";
  const std::vector<ImportIssue> issues = *store.ListIssues(job.org_id, job.id, 0, 1000);
  for (const ImportIssue& issue : issues) {
    text += "issue " + std::to_string(issue.row) + " " + issue.column + " [" + issue.value + "] " +
            std::string(IssueCodeName(issue.code)) + " " +
            std::string(SeverityName(issue.severity)) + " " + issue.message + " -> " +
            (nearest || issue.code != IssueCode::kNotFound ? issue.suggestion.value_or("") : "") +
            "\n";
  }
  const std::vector<PlannedDeletion> plan = *store.LoadPlan(job.org_id, job.id);
  for (const PlannedDeletion& entry : plan) {
    text += "plan " + std::to_string(entry.user_id) + " row " + std::to_string(entry.row) + " " +
            std::to_string(entry.key_hash) + "\n";
  }
  std::vector<RowChunk> rows = *store.LoadRows(job.org_id, job.id);
  EXPECT_TRUE(import::ForEachRowRecord(rows, [&](const import::RowRecord& record) {
                text += "record " + std::to_string(record.row) + " [" + std::string(record.value) +
                        "] " + std::string(import::RowStatusName(record.status)) + " " +
                        std::string(record.message) + "\n";
              }).ok());
  return text;
}

class RowChangeTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (!GetParam().skip.empty()) GTEST_SKIP() << GetParam().skip;
    Result<std::unique_ptr<Store>> opened = GetParam().open(dir_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    faulty_ = std::make_unique<FaultInjectingStore>(*store_);
    acme_ = *store_->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
    std::vector<User> users;
    for (int i = 0; i < kUsers; ++i) {
      User& user = users.emplace_back();
      user.email = Address(i);
      user.email_key = *EmailKey(user.email);
      user.first_name = user.last_name = "U";
    }
    User& admin = users.emplace_back();
    admin.email = admin.email_key = "admin@acme.example";
    ASSERT_TRUE(store_->CreateUsers(acme_.id, users).ok());
    std::vector<std::string> learners = {users[0].email_key, users[3].email_key,
                                         users[8].email_key};
    ASSERT_TRUE(store_->CreateElearningAccounts(acme_.id, learners).ok());
    ASSERT_TRUE(files_.Prepare().ok());
  }

  roster::import::Wizard Wizard() {
    return roster::import::Wizard(*faulty_, acme_, files_, sheet::Limits(), random_);
  }

  ImportJob Job(int64_t id) { return *store_->GetJob(acme_.id, id); }

  // A checked delete job of `text` (File() by default) with its header in `header_row`.
  int64_t Start(const std::string& text = File(), int64_t header_row = 1) {
    std::filesystem::path incoming = files_.NewIncomingPath(random_);
    std::ofstream(incoming, std::ios::binary) << text;
    Result<ImportJob> job =
        Wizard().Start(ImportMode::kDelete, incoming, "leavers.csv", "admin@acme.example");
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    if (header_row != 1) {
      Result<ImportJob> chosen = Wizard().ChooseSheet(job->id, "leavers", header_row);
      EXPECT_TRUE(chosen.ok()) << chosen.status().ToString();
    }
    Result<ImportJob> checked = Wizard().Check(job->id);
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    return job->id;
  }

  TempDir dir_;
  FixedClock clock_{1'764'000'000};
  CountingRandom random_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<FaultInjectingStore> faulty_;
  Organization acme_;
  roster::import::JobFiles files_{dir_.path() / "files"};
};

TEST_P(RowChangeTest, EveryChangeOfOneRowLeavesWhatACheckOfTheWholeFileWould) {
  const int64_t id = Start();
  const std::vector<std::string> values = {Address(0),
                                           Address(2),
                                           Address(5),
                                           Address(9),
                                           Address(11),
                                           "nobody@acme.example",
                                           "user2@acme.exmaple",
                                           "",
                                           "admin@acme.example",
                                           "mailto:" + Address(10),
                                           "still not",
                                           " " + Address(7),
                                           Address(1)};
  std::mt19937 random(20261202);
  int applied_at_once = 0;
  for (int step = 0; step < 120; ++step) {
    const ImportJob before = Job(id);
    const int64_t row = 2 + static_cast<int64_t>(random() % 17);  // 17: one past the last row
    const int kind = static_cast<int>(random() % 3);
    const std::string value = values[random() % values.size()];
    SCOPED_TRACE("step " + std::to_string(step) + ": " +
                 (kind == 0   ? "fix row " + std::to_string(row) + " to [" + value + "]"
                  : kind == 1 ? "exclude row " + std::to_string(row)
                              : "include row " + std::to_string(row)));
    const int index_loads = faulty_->Calls("ForEachUserKey");
    Result<ImportJob> changed = kind == 0   ? Wizard().Fix(id, row, value)
                                : kind == 1 ? Wizard().Exclude(id, row)
                                            : Wizard().Include(id, row);
    if (!changed.ok()) {
      EXPECT_EQ(changed.status().code(), ErrorCode::kNotFound);  // nothing to include
      continue;
    }
    EXPECT_EQ(changed->version, before.version + 1);
    if (changed->state != JobState::kChecking) {
      ++applied_at_once;
      // Applied at once: no user list loaded, no file read.
      EXPECT_EQ(faulty_->Calls("ForEachUserKey"), index_loads);
      const std::string incremental = Findings(*store_, *changed, /*nearest=*/false);
      Result<ImportJob> checked = Wizard().Check(id);
      ASSERT_TRUE(checked.ok()) << checked.status().ToString();
      ASSERT_EQ(Findings(*store_, *checked, /*nearest=*/false), incremental);
    } else {
      ASSERT_TRUE(Wizard().Check(id).ok());
    }
  }
  // Most changes concern rows with errors, empty or excluded: applied at once.
  EXPECT_GT(applied_at_once, 40);
}

TEST_P(RowChangeTest, AFixThatNamesAPlannedUserEarlierTakesThePlanFromTheLaterRow) {
  const int64_t id = Start();
  // Row 4 is a typo of user2; user0 is planned by row 2 and named again by row 12; user4 is
  // planned by row 11. Fixing row 4 to user4 makes row 4 the one that plans user4, and row 11
  // its duplicate.
  Result<ImportJob> fixed = Wizard().Fix(id, 4, Address(4));
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  ASSERT_NE(fixed->state, JobState::kChecking);
  std::vector<ImportIssue> row11 = *store_->ListIssuesOfRow(acme_.id, id, 11);
  ASSERT_EQ(row11.size(), 1u);
  EXPECT_EQ(row11[0].code, IssueCode::kDuplicateEmail);
  const std::string incremental = Findings(*store_, *fixed);
  EXPECT_EQ(Findings(*store_, *Wizard().Check(id)), incremental);
}

TEST_P(RowChangeTest, RowsBelowATitleAndAnEmptyRowAreChangedLikeAnyOther) {
  // The console's delete flow: a title in row 1, the header in row 2, an empty row.
  const int64_t id = Start(
      "Leavers\nE-Mail-Adresse,Name\n" + Address(0) + ",A\nuser1@acme.exmaple,B\n,\n" + Address(2) +
          ",C\nuser3 at acme.example,D\nnobody@acme.example,E\nUSER0@acme.example,F\n",
      2);
  ASSERT_EQ(Job(id).counts.errors, 3) << Findings(*store_, Job(id));
  Result<ImportJob> fixed = Wizard().Fix(id, 4, Address(1));
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  ASSERT_NE(fixed->state, JobState::kChecking);
  EXPECT_EQ(fixed->counts.errors, 2);
  EXPECT_THAT(*store_->ListIssuesOfRow(acme_.id, id, 4), ::testing::IsEmpty());
  const std::string incremental = Findings(*store_, *fixed);
  EXPECT_EQ(Findings(*store_, *Wizard().Check(id)), incremental);
}

TEST_P(RowChangeTest, AChangeMadeFromAnOlderVersionIsRefused) {
  const int64_t id = Start();
  const ImportJob seen = Job(id);
  ASSERT_TRUE(Wizard().Exclude(id, 9).ok());
  Result<ImportJob> stale = Wizard().Fix({id, seen.version}, 4, Address(2));
  EXPECT_EQ(stale.status().code(), ErrorCode::kAborted);
  // And when the job changes between the read and the write of the change.
  faulty_->Before("PatchFindings", 1, [&] {
    roster::import::Wizard other(*store_, acme_, files_, sheet::Limits(), random_);
    EXPECT_TRUE(other.Exclude(id, 10).ok());
    return Status::Ok();
  });
  stale = Wizard().Fix(id, 4, Address(2));
  EXPECT_EQ(stale.status().code(), ErrorCode::kAborted);
  EXPECT_THAT(*store_->ListIssuesOfRow(acme_.id, id, 4), ::testing::SizeIs(1));
  EXPECT_EQ(store_->ListIssuesOfRow(acme_.id, id, 4)->front().code, IssueCode::kNotFound);
}

TEST_P(RowChangeTest, AFailedWriteChangesNothing) {
  const int64_t id = Start();
  const ImportJob before = Job(id);
  const std::string findings = Findings(*store_, before);
  faulty_->Before("PatchFindings", 1, [] { return Unavailable("the database went away"); });
  Result<ImportJob> failed = Wizard().Fix(id, 4, Address(2));
  EXPECT_EQ(failed.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(Findings(*store_, Job(id)), findings);
  EXPECT_EQ(Job(id).version, before.version);
}

TEST_P(RowChangeTest, AFixedJobRunsTheChangedPlan) {
  const int64_t id = Start();
  roster::import::Wizard wizard = Wizard();
  ASSERT_TRUE(wizard.Fix(id, 4, Address(2)).ok());    // the typo
  ASSERT_TRUE(wizard.Fix(id, 10, Address(11)).ok());  // not an address
  ASSERT_TRUE(wizard.Exclude(id, 6).ok());            // empty
  ASSERT_TRUE(wizard.Exclude(id, 8).ok());            // nobody
  ASSERT_TRUE(wizard.Exclude(id, 9).ok());            // the admin
  ASSERT_TRUE(wizard.Fix(id, 15, Address(7)).ok());   // inner space
  ASSERT_TRUE(wizard.Exclude(id, 17).ok());           // no address
  ImportJob job = Job(id);
  ASSERT_EQ(job.state, JobState::kValidated) << Findings(*store_, job);
  ASSERT_TRUE(wizard.Confirm(id, job.version, false, "admin@acme.example").ok());
  ASSERT_TRUE(store_->ClaimNextJob("w")->has_value());
  Result<roster::import::ExecutionResult> run = wizard.Run(id, "w", "admin@acme.example", {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // Users 0 to 7 and 11 go; 8, 9 and 10 and the admin stay.
  EXPECT_EQ(run->job.counts.deleted, 9);
  EXPECT_EQ(*store_->CountUsers(acme_.id), kUsers + 1 - 9);
  std::ifstream report(files_.ReportOf(id, "csv"));
  const std::string text(std::istreambuf_iterator<char>(report), {});
  EXPECT_THAT(text, HasSubstr("4,user2@acme.example,deleted,"));
  EXPECT_THAT(text, HasSubstr("8,nobody@acme.example,excluded,excluded by the admin"));
}

INSTANTIATE_TEST_SUITE_P(Backends, RowChangeTest, ::testing::ValuesIn(StoreBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace roster::testing
