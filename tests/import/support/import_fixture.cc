#include "support/import_fixture.h"

#include <fstream>

#include "core/email.h"
#include "import/worker.h"
#include "store/backends/open_store.h"

namespace roster::testing {

void ImportFixture::SetUp() {
  Result<std::unique_ptr<Store>> opened = OpenStore("sqlite:" + dir_.File("roster.db"), clock_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened).value();
  acme_ = *store_->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
  globex_ = *store_->CreateOrganization({0, "globex", "Globex", "en", {"globex.example"}});
}

User ImportFixture::AddUser(const std::string& email, bool elearning) {
  User user;
  user.email = email;
  user.email_key = *EmailKey(email);
  user.first_name = "First";
  user.last_name = "Last";
  user.language = "en";
  int64_t org_id = email.ends_with("globex.example") ? globex_.id : acme_.id;
  Result<User> created = store_->CreateUser(org_id, user);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (elearning && created.ok()) {
    Result<ElearningAccount> account = store_->CreateElearningAccount(org_id, user.email_key);
    EXPECT_TRUE(account.ok());
    LearningProgress progress{account->id, "passwords", ProgressStatus::kCompleted, 90, 1};
    Certificate certificate{account->id, "passwords", 1};
    EXPECT_TRUE(store_->RecordLearning(org_id, {&progress, 1}, {&certificate, 1}).ok());
  }
  return created.ok() ? *created : User{};
}

std::string ImportFixture::WriteFile(const std::string& name, const std::string& text) {
  std::string path = dir_.File(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Result<import::Analysis> ImportFixture::Analyze(const std::string& path,
                                                const import::ImportSettings& settings) {
  import::AnalyzeRequest request;
  request.path = path;
  request.display_name = std::filesystem::path(path).filename().string();
  request.organization = acme_;
  request.settings = settings;
  request.keep_rows = true;
  return import::AnalyzeFile(*store_, request, random_);
}

Result<import::ExecutionResult> ImportFixture::Run(const import::Analysis& analysis,
                                                   const import::ImportSettings& settings,
                                                   bool delete_elearning) {
  ROSTER_ASSIGN_OR_RETURN(ImportJob job,
                          import::RecordJob(*store_, acme_, settings, analysis, "test"));
  import::ExecuteRequest request;
  request.job_id = job.id;
  request.delete_elearning = delete_elearning;
  request.worker = import::ThisWorker();
  request.actor = "test";
  request.version = job.version;
  return import::ExecuteJob(*store_, acme_, request);
}

roster::import::ExecuteRequest ImportFixture::Request(int64_t job_id) {
  import::ExecuteRequest request;
  request.job_id = job_id;
  request.worker = import::ThisWorker();
  request.actor = "test";
  Result<ImportJob> job = store_->GetJob(acme_.id, job_id);
  request.version = job.ok() ? job->version : 0;
  return request;
}

std::vector<std::string> ImportFixture::RemainingEmails() {
  std::vector<std::string> emails;
  Result<UserPage> page = store_->ListUsers(acme_.id, {"", UserSort::kEmail, false, 1000, 0});
  EXPECT_TRUE(page.ok());
  for (const UserListEntry& entry : page->users) emails.push_back(entry.user.email);
  return emails;
}

}  // namespace roster::testing
