// The error branches of the wizard's files, on purpose: a FaultInjectingFileSystem makes the
// adoption of an upload, the digest's read, the replacement of a job's file, the writing of
// the report and the removal of the upload fail at a chosen call, through the real Wizard on a
// real SQLite store. Each test then checks the store and both folders: no half state, an error
// that names the file, and nothing deleted twice. (The store's faults are injected by
// FaultInjectingStore, in wizard_race_test.cc and row_change_test.cc.)

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "import/support/fault_injecting_file_system.h"
#include "import/wizard.h"
#include "support/import_fixture.h"

namespace roster::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Status kDiskFull = Unavailable("No space left on device");
const Status kReadError = Unavailable("Input/output error");
const char* const kLeavers = "E-Mail\nanna.schmidt@acme.example\nbob.jones@acme.example\n";

class FileFaultsTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    AddUser("anna.schmidt@acme.example", /*elearning=*/true);
    AddUser("bob.jones@acme.example");
    AddUser("carla.diaz@acme.example");
    ASSERT_TRUE(files_.Prepare().ok());
  }

  // A file in the uploads folder, as the server receives it (not through the faults).
  fs::path Incoming(const std::string& text) {
    fs::path path = files_.NewIncomingPath(random_);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  roster::import::Wizard MakeWizard() {
    return roster::import::Wizard(*store_, acme_, files_, {}, random_);
  }
  ImportJob Job(int64_t id) { return *store_->GetJob(acme_.id, id); }
  std::vector<ImportJob> Jobs() { return *store_->ListJobs(acme_.id, 0, 100); }

  // A delete job of `text`, checked.
  ImportJob Checked(const std::string& text) {
    Result<ImportJob> started = MakeWizard().Start(ImportMode::kDelete, Incoming(text),
                                                   "leavers.csv", "admin@acme.example");
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    if (!started.ok()) return {};
    Result<ImportJob> checked = MakeWizard().Check({started->id});
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    return checked.ok() ? *checked : ImportJob{};
  }

  // Confirms the job as it is now and claims it, as the server's worker "w" does.
  void Claim(int64_t id) {
    Result<ImportJob> queued =
        MakeWizard().Confirm(id, Job(id).version, false, "admin@acme.example");
    ASSERT_TRUE(queued.ok()) << queued.status().ToString();
    Result<std::optional<ImportJob>> claimed = store_->ClaimNextJob("w");
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    ASSERT_EQ((*claimed)->id, id);
  }

  Result<roster::import::ExecutionResult> Run(int64_t id) {
    return MakeWizard().Run(id, "w", "admin@acme.example", {});
  }

  // The names in a folder of the data folder, sorted.
  std::vector<std::string> Folder(const std::string& name) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(root_ / name)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  int64_t AuditEvents(const std::string& action) {
    Result<std::vector<AuditEvent>> events = store_->ListAuditEvents(acme_.id, 0, 100);
    EXPECT_TRUE(events.ok());
    return std::count_if(events->begin(), events->end(),
                         [&](const AuditEvent& event) { return event.action == action; });
  }

  // What the test saw, for its failure messages: the folders, the jobs, the users, and every
  // call of the file system.
  std::string Seen() {
    std::string text = "\nuploads:";
    for (const std::string& name : Folder("uploads")) text += " " + name;
    text += "\nreports:";
    for (const std::string& name : Folder("reports")) text += " " + name;
    for (const ImportJob& job : Jobs()) {
      text += "\njob " + std::to_string(job.id) + " " + std::string(JobStateName(job.state)) +
              " v" + std::to_string(job.version) + " file " + job.file_sha256.substr(0, 8) +
              " deleted " + std::to_string(job.counts.deleted) + " error [" + job.error + "]";
    }
    text += "\nusers:";
    for (const std::string& email : RemainingEmails()) text += " " + email;
    return text + "\nfile system calls:\n" + faulty_.Journal();
  }

  FaultInjectingFileSystem faulty_{roster::import::DefaultFileSystem()};
  fs::path root_ = dir_.path() / "files";
  roster::import::JobFiles files_{root_, faulty_};
};

// (a) The upload cannot be moved into place (the disk is full): Start says so, naming the
// file; the job it had to create first (its file's name needs the job's id) is given up, and
// keeps nothing of the file; the incoming file stays for its caller to remove, as with any
// refusal, and nothing else is left.
TEST_F(FileFaultsTest, AnUploadThatCannotBeAdoptedIsRefusedAndLeavesNothing) {
  const fs::path incoming = Incoming(kLeavers);
  faulty_.FailFrom("Rename", 1, kDiskFull);
  Result<ImportJob> started =
      MakeWizard().Start(ImportMode::kDelete, incoming, "leavers.csv", "admin@acme.example");
  ASSERT_FALSE(started.ok()) << Seen();
  EXPECT_EQ(started.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(started.status().message(), HasSubstr("leavers.csv could not be stored"));
  EXPECT_THAT(started.status().message(), HasSubstr("No space left on device"));

  // No job that can go on: the store forgets none, so the one created reads cancelled, with
  // neither the file's first rows nor findings.
  std::vector<ImportJob> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 1u) << Seen();
  EXPECT_EQ(jobs[0].state, JobState::kCancelled) << Seen();
  EXPECT_EQ(jobs[0].error, "The upload could not be stored.");
  EXPECT_THAT(jobs[0].head, IsEmpty()) << "the first rows of the file stayed with the job";
  EXPECT_THAT(*store_->CountIssues(acme_.id, jobs[0].id), IsEmpty());
  EXPECT_FALSE(MakeWizard().Confirm(jobs[0].id, jobs[0].version, false, "a").ok());
  EXPECT_THAT(Folder("uploads"), ElementsAre(incoming.filename().string())) << Seen();
  EXPECT_THAT(Folder("reports"), IsEmpty()) << Seen();
  EXPECT_EQ(RemainingEmails().size(), 3u);
}

// (b) The digest's read fails in the middle of the file: Start answers the reader's error
// with the file's name; nothing is stored and nothing is moved.
TEST_F(FileFaultsTest, ADigestWhoseReadFailsHalfwayStoresNothing) {
  std::string text = "E-Mail\n";
  for (int i = 0; i < 100; ++i) text += "anna.schmidt@acme.example\n";
  const fs::path incoming = Incoming(text);
  faulty_.FailReadAfter(1, static_cast<int64_t>(text.size() / 2), kReadError);
  Result<ImportJob> started =
      MakeWizard().Start(ImportMode::kDelete, incoming, "leavers.csv", "admin@acme.example");
  ASSERT_FALSE(started.ok()) << Seen();
  EXPECT_EQ(started.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(started.status().message(), HasSubstr("leavers.csv: the file cannot be read"));
  EXPECT_THAT(started.status().message(), HasSubstr("Input/output error"));
  EXPECT_GE(faulty_.Calls("Read"), 2) << "the read did not fail halfway" << Seen();
  EXPECT_THAT(Jobs(), IsEmpty()) << Seen();
  EXPECT_EQ(faulty_.Calls("Rename"), 0) << Seen();
  EXPECT_THAT(Folder("uploads"), ElementsAre(incoming.filename().string())) << Seen();

  // The same file read well starts a job.
  Result<ImportJob> again =
      MakeWizard().Start(ImportMode::kDelete, incoming, "leavers.csv", "admin@acme.example");
  ASSERT_TRUE(again.ok()) << again.status().ToString() << Seen();
  EXPECT_EQ(again->file_size, static_cast<int64_t>(text.size()));
}

// (c) A corrected file cannot take the place of the job's file: the job keeps its file,
// version, decisions, findings and state, and can still be confirmed as the admin saw it.
TEST_F(FileFaultsTest, AFileThatCannotReplaceTheJobsFileLeavesTheJobAsItWas) {
  const ImportJob started =
      Checked("E-Mail\nanna.schmidt@acme.example\nzed@acme.example\nbob.jones@acme.example\n");
  ASSERT_EQ(started.state, JobState::kMapped) << Seen();
  ASSERT_TRUE(MakeWizard().Exclude({started.id}, 3).ok());
  const ImportJob before = Job(started.id);
  ASSERT_EQ(before.state, JobState::kValidated) << Seen();
  const std::vector<ImportIssue> issues = *store_->ListIssues(acme_.id, before.id, 0, 100);
  const std::vector<PlannedDeletion> plan = *store_->LoadPlan(acme_.id, before.id);
  ASSERT_EQ(plan.size(), 2u);

  const fs::path incoming = Incoming("E-Mail\ncarla.diaz@acme.example\n");
  faulty_.FailFrom("Rename", 1, kDiskFull);
  Result<ImportJob> replaced =
      MakeWizard().ReplaceFile({before.id, before.version}, incoming, "leavers-fixed.csv");
  ASSERT_FALSE(replaced.ok()) << Seen();
  EXPECT_EQ(replaced.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(replaced.status().message(), HasSubstr("leavers-fixed.csv could not be stored"));
  EXPECT_THAT(replaced.status().message(), HasSubstr("No space left on device"));

  const ImportJob after = Job(before.id);
  EXPECT_EQ(after.version, before.version) << Seen();
  EXPECT_EQ(after.state, JobState::kValidated);
  EXPECT_EQ(after.file_sha256, before.file_sha256);
  EXPECT_EQ(after.file_name, "leavers.csv");
  EXPECT_EQ(after.decisions, before.decisions);
  EXPECT_EQ(after.counts.to_delete, 2);
  EXPECT_EQ(store_->ListIssues(acme_.id, before.id, 0, 100)->size(), issues.size());
  EXPECT_EQ(store_->LoadPlan(acme_.id, before.id)->size(), plan.size());
  // Its own file only, and the incoming one for the caller to remove.
  EXPECT_THAT(Folder("uploads"), ElementsAre(incoming.filename().string(),
                                             files_.UploadOf(before).filename().string()))
      << Seen();
  faulty_.Heal();
  EXPECT_TRUE(MakeWizard().Confirm(before.id, before.version, false, "admin@acme.example").ok());
}

// The same corrected file sent from two tabs at once has one name in the folder: the tab whose
// step is refused (the other stored first) must not remove the file the job now records.
TEST_F(FileFaultsTest, TheSameCorrectedFileFromTwoTabsKeepsTheFileTheJobRecords) {
  const ImportJob before = Checked(kLeavers);
  const std::string corrected = "E-Mail\ncarla.diaz@acme.example\n";
  const fs::path mine = Incoming(corrected);
  const fs::path theirs = Incoming(corrected);
  // Just before this tab moves its file into place, the other tab does the whole step.
  faulty_.Before("Rename", 1, [&] {
    Result<ImportJob> other = MakeWizard().ReplaceFile({before.id}, theirs, "leavers-fixed.csv");
    EXPECT_TRUE(other.ok()) << other.status().ToString();
    return Status::Ok();
  });
  Result<ImportJob> replaced =
      MakeWizard().ReplaceFile({before.id, before.version}, mine, "leavers-fixed.csv");
  EXPECT_EQ(replaced.status().code(), ErrorCode::kAborted) << Seen();

  const ImportJob now = Job(before.id);
  EXPECT_EQ(now.file_name, "leavers-fixed.csv");
  EXPECT_THAT(Folder("uploads"), ElementsAre(files_.UploadOf(now).filename().string())) << Seen();
  Result<ImportJob> checked = MakeWizard().Check({now.id});
  ASSERT_TRUE(checked.ok()) << checked.status().ToString() << Seen();
  EXPECT_EQ(checked->counts.to_delete, 1);
}

// (d) The report cannot be written before the deletion (the disk fills up while the .csv is
// written): nothing is deleted, the job reads interrupted with the reason and runs again,
// once, when the disk has room.
TEST_F(FileFaultsTest, AReportThatCannotBeWrittenStopsTheJobBeforeItDeletes) {
  const ImportJob checked = Checked(kLeavers);
  ASSERT_EQ(checked.state, JobState::kValidated) << Seen();
  Claim(checked.id);
  faulty_.FailWriteAfter(1, 20, kDiskFull);
  Result<roster::import::ExecutionResult> run = Run(checked.id);
  ASSERT_FALSE(run.ok()) << Seen();
  EXPECT_EQ(run.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(run.status().message(), HasSubstr("Nothing was changed"));
  EXPECT_THAT(run.status().message(), HasSubstr("job-" + std::to_string(checked.id)));
  EXPECT_THAT(run.status().message(), HasSubstr("No space left on device"));

  ImportJob job = Job(checked.id);
  EXPECT_EQ(job.state, JobState::kInterrupted) << Seen();
  EXPECT_THAT(job.error, HasSubstr("the result report could not be written")) << Seen();
  EXPECT_EQ(RemainingEmails().size(), 3u) << Seen();
  EXPECT_EQ(AuditEvents("import.delete"), 0);
  EXPECT_THAT(Folder("reports"), IsEmpty()) << "a part of the report is left" << Seen();
  EXPECT_THAT(Folder("uploads"), ElementsAre(files_.UploadOf(job).filename().string())) << Seen();

  faulty_.Heal();
  Claim(checked.id);
  run = Run(checked.id);
  ASSERT_TRUE(run.ok()) << run.status().ToString() << Seen();
  EXPECT_EQ(run->job.counts.deleted, 2);
  EXPECT_THAT(RemainingEmails(), ElementsAre("carla.diaz@acme.example")) << Seen();
  EXPECT_EQ(AuditEvents("import.delete"), 1);
  const std::string id = std::to_string(checked.id);
  EXPECT_THAT(Folder("reports"), ElementsAre("job-" + id + ".csv", "job-" + id + ".xlsx"))
      << Seen();
  EXPECT_THAT(Folder("uploads"), IsEmpty()) << Seen();
}

// (d) The report cannot be put in place after the deletion committed: the deletion stands and
// the job reads done, Run says the report is missing, no part of a report is left (not the
// .csv without the .xlsx), and running the job again deletes nothing and writes nothing.
TEST_F(FileFaultsTest, AReportLostAfterTheDeletionLeavesTheJobDoneAndRunsNothingTwice) {
  const ImportJob checked = Checked(kLeavers);
  Claim(checked.id);
  const std::string id = std::to_string(checked.id);
  faulty_.FailWhere("Rename", "reports/job-" + id + ".xlsx", kDiskFull);
  Result<roster::import::ExecutionResult> run = Run(checked.id);
  ASSERT_FALSE(run.ok()) << Seen();
  EXPECT_EQ(run.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(run.status().message(), HasSubstr("ran and its changes stand"));
  EXPECT_THAT(run.status().message(), HasSubstr("job-" + id + ".xlsx"));
  EXPECT_THAT(run.status().message(), HasSubstr("No space left on device"));

  ImportJob job = Job(checked.id);
  EXPECT_EQ(job.state, JobState::kDone) << Seen();
  EXPECT_EQ(job.counts.deleted, 2);
  EXPECT_THAT(RemainingEmails(), ElementsAre("carla.diaz@acme.example")) << Seen();
  EXPECT_THAT(Folder("reports"), IsEmpty()) << Seen();
  EXPECT_THAT(Folder("uploads"), IsEmpty()) << Seen();
  EXPECT_FALSE(MakeWizard().View(checked.id)->report_available);

  faulty_.Heal();
  const int writes = faulty_.Calls("OpenForWrite");
  Result<import::ExecutionResult> again = Run(checked.id);
  EXPECT_EQ(again.status().code(), ErrorCode::kFailedPrecondition) << Seen();
  EXPECT_EQ(MakeWizard().Confirm(checked.id, job.version, false, "a").status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Job(checked.id).version, job.version) << Seen();
  EXPECT_EQ(AuditEvents("import.delete"), 1);
  EXPECT_EQ(faulty_.Calls("OpenForWrite"), writes) << Seen();
  EXPECT_THAT(Folder("reports"), IsEmpty()) << Seen();
}

// (d) When someone else deleted a planned user meanwhile, the report is written again after
// the deletion with what it did; a disk full in that write ends like a failed rename.
TEST_F(FileFaultsTest, AReportWrittenAgainAfterTheDeletionThatFillsTheDiskLeavesNoPart) {
  const ImportJob checked = Checked(kLeavers);
  Claim(checked.id);
  Result<UserPage> bob = store_->ListUsers(acme_.id, {"bob.jones", UserSort::kEmail, false, 10, 0});
  ASSERT_TRUE(bob.ok() && bob->users.size() == 1u);
  ASSERT_TRUE(store_
                  ->DeleteUser(acme_.id, bob->users[0].user.id, false,
                               {"admin@acme.example", "user.delete", "{}"})
                  .ok());
  // The pending .csv is the first writer, the .csv written again after the deletion the
  // second.
  faulty_.FailWriteAfter(2, 30, kDiskFull);
  Result<roster::import::ExecutionResult> run = Run(checked.id);
  ASSERT_FALSE(run.ok()) << Seen();
  EXPECT_THAT(run.status().message(), HasSubstr("ran and its changes stand"));
  EXPECT_THAT(run.status().message(), HasSubstr("No space left on device"));
  ImportJob job = Job(checked.id);
  EXPECT_EQ(job.state, JobState::kDone) << Seen();
  EXPECT_EQ(job.counts.deleted, 1);
  EXPECT_THAT(RemainingEmails(), ElementsAre("carla.diaz@acme.example")) << Seen();
  EXPECT_THAT(Folder("reports"), IsEmpty()) << Seen();
}

// Without a fault, that report says what happened to the row someone else deleted.
TEST_F(FileFaultsTest, AReportWrittenAgainAfterTheDeletionSaysWhatItDid) {
  const ImportJob checked = Checked(kLeavers);
  Claim(checked.id);
  Result<UserPage> bob = store_->ListUsers(acme_.id, {"bob.jones", UserSort::kEmail, false, 10, 0});
  ASSERT_TRUE(bob.ok() && bob->users.size() == 1u);
  ASSERT_TRUE(store_
                  ->DeleteUser(acme_.id, bob->users[0].user.id, false,
                               {"admin@acme.example", "user.delete", "{}"})
                  .ok());
  Result<roster::import::ExecutionResult> run = Run(checked.id);
  ASSERT_TRUE(run.ok()) << run.status().ToString() << Seen();
  std::ifstream in(files_.ReportOf(checked.id, "csv"), std::ios::binary);
  const std::string report(std::istreambuf_iterator<char>(in), {});
  EXPECT_THAT(report, HasSubstr("2,anna.schmidt@acme.example,deleted,"));
  EXPECT_THAT(report, HasSubstr("3,bob.jones@acme.example,already_gone,"));
  const std::string id = std::to_string(checked.id);
  EXPECT_THAT(Folder("reports"), ElementsAre("job-" + id + ".csv", "job-" + id + ".xlsx"))
      << Seen();
}

// (e) The upload cannot be removed after the run: the job reads done with its report, and
// RemoveExpired removes the file later (its report tells it the job ran), whatever its age.
TEST_F(FileFaultsTest, AnUploadLeftAfterTheRunIsRemovedLater) {
  const ImportJob checked = Checked(kLeavers);
  Claim(checked.id);
  const fs::path upload = files_.UploadOf(checked);
  faulty_.FailWhere("Remove", upload.filename().string(), kReadError);
  Result<roster::import::ExecutionResult> run = Run(checked.id);
  ASSERT_TRUE(run.ok()) << run.status().ToString() << Seen();
  EXPECT_EQ(Job(checked.id).state, JobState::kDone);
  EXPECT_TRUE(MakeWizard().View(checked.id)->report_available);
  EXPECT_THAT(Folder("uploads"), ElementsAre(upload.filename().string())) << Seen();

  // Another job's upload, not run yet, stays.
  const ImportJob waiting = Checked("E-Mail\ncarla.diaz@acme.example\n");
  faulty_.Heal();
  EXPECT_EQ(files_.RemoveExpired(24 * 3600), 1) << Seen();
  EXPECT_THAT(Folder("uploads"), ElementsAre(files_.UploadOf(waiting).filename().string()))
      << Seen();
  EXPECT_EQ(Job(checked.id).state, JobState::kDone);
  EXPECT_TRUE(MakeWizard().View(checked.id)->report_available) << "a fresh report stays";
}

// The data folder cannot be made: the error names it.
TEST_F(FileFaultsTest, ADataFolderThatCannotBeMadeIsNamed) {
  faulty_.FailFrom("CreateDirectories", 1, Unavailable("Permission denied"));
  Status prepared = files_.Prepare();
  EXPECT_EQ(prepared.code(), ErrorCode::kUnavailable);
  EXPECT_THAT(prepared.message(),
              HasSubstr("the data folder " + (root_ / "uploads").string() + " cannot be made"));
  EXPECT_THAT(prepared.message(), HasSubstr("Permission denied"));
}

}  // namespace
}  // namespace roster::testing
