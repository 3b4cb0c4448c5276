// Bad input gets a clear error and changes nothing, and the server keeps serving (DESIGN.md
// section 2), over HTTP: every hostile file of tests/support/hostile_files uploaded through
// `POST /api/v1/imports` to a real Server on a free port with a temporary SQLite database.
// Each answers 400 (unreadable), 422 (over a limit) or 413 (over the upload limit) with an
// error that names the file and what is wrong; no job is stored, no file is left in the uploads
// folder, the users are untouched, and /healthz still answers. The server's limits are small
// (4 MiB uploads, 1,000 rows, 100 columns) so that the over-limit files stay tiny.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/admins.h"
#include "http/server.h"
#include "http/support/job_api.h"
#include "random/system_random.h"
#include "store/backends/open_store.h"
#include "store/store.h"
#include "support/hostile_files.h"
#include "support/temp_dir.h"
#include "support/test_users.h"

namespace roster::http {
namespace {

using auth::NewAdmin;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;
using testing::HostileFile;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

constexpr std::string_view kPassword = "correct-horse-battery";
// A hang detector, not a speed figure (speeds are measured in bench/): an upload that takes
// longer than this is stuck; a machine busy with other work, or a sanitizer build, stays well
// below it.
constexpr double kMaxSeconds = 120;
// Growth of the test process's peak memory (server and client) over one upload.
constexpr int64_t kMaxRssGrowthKilobytes = (kSanitized ? 512 : 128) * 1024;

sheet::Limits ServerLimits() {
  sheet::Limits limits;
  limits.max_file_bytes = int64_t{4} << 20;
  limits.max_rows = 1000;
  limits.max_columns = 100;
  return limits;
}

int64_t MaxRssKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class BadFilesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_url_ = "sqlite:" + dir_.File("roster.db");
    std::unique_ptr<Store> store = std::move(OpenStore(db_url_, clock_)).value();
    acme_ = *store->CreateOrganization({0, "acme", "Acme Corp", "en", {"acme.example"}});
    for (const char* email : {"anna@acme.example", "bob@acme.example", "carla@acme.example"}) {
      ASSERT_TRUE(store->CreateUser(acme_.id, testing::TestUser(email)).ok());
    }
    ASSERT_TRUE(store->CreateElearningAccount(acme_.id, "anna@acme.example").ok());
    ASSERT_TRUE(
        store->CreateAdmin(*NewAdmin(acme_, "admin@acme.example", kPassword, AdminRole::kAdmin))
            .ok());

    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.db_url = db_url_;
    options.data_dir = dir_.File("files");
    options.limits = ServerLimits();
    server_ = std::make_unique<Server>(options, clock_, random_);
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
    client_ = SignIn();
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  std::unique_ptr<httplib::Client> SignIn() {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(std::chrono::seconds(static_cast<int>(4 * kMaxSeconds)));
    auto response = client->Post(
        "/api/v1/session", json{{"email", "admin@acme.example"}, {"password", kPassword}}.dump(),
        "application/json");
    EXPECT_TRUE(response && response->status == 200);
    const std::string cookie = response->get_header_value("Set-Cookie");
    client->set_default_headers(
        {{"Cookie", cookie.substr(0, cookie.find(';'))},
         {"X-CSRF-Token", json::parse(response->body)["csrf_token"].get<std::string>()}});
    return client;
  }

  httplib::Result Upload(const std::string& file_name, const std::string& content) {
    httplib::MultipartFormDataItems items = {
        {"mode", "delete", "", ""}, {"file", content, file_name, "application/octet-stream"}};
    return client_->Post("/api/v1/imports", items);
  }

  // The file of `file` written and uploaded; checks the time and memory it took.
  httplib::Result UploadHostile(const HostileFile& file) {
    const std::string content = ReadFile(testing::WriteHostileFile(file, dir_.path() / "in"));
    const int64_t rss_before = MaxRssKilobytes();
    const auto start = std::chrono::steady_clock::now();
    httplib::Result response = Upload(file.file_name, content);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, kMaxSeconds) << file.name;
    EXPECT_LT(MaxRssKilobytes() - rss_before, kMaxRssGrowthKilobytes) << file.name << ", KiB";
    return response;
  }

  // A file damaged past its first rows (one of these) is taken by the upload, which reads only
  // the head, and refused by its check.
  static bool FoundByTheCheck(const HostileFile& file) {
    return file.name == "xlsx_rows_over_limit" || file.name == "csv_rows_over_limit" ||
           file.name == "ods_rows_over_limit";
  }

  // The upload refused the file, or (FoundByTheCheck) took it and its check refused it: the
  // job is then not checked, with the reason, and can be cancelled, which leaves nothing.
  void ExpectRefused(const HostileFile& file, const httplib::Result& response) {
    ASSERT_TRUE(response) << file.name << ": no answer";
    if (FoundByTheCheck(file)) {
      ASSERT_EQ(response->status, 201) << file.name << ": " << response->body;
      const int64_t id = json::parse(response->body)["id"].get<int64_t>();
      const json job = Validate(id);
      EXPECT_EQ(job["state"], "uploaded") << file.name << ": " << job.dump();
      const std::string error = job.value("error", "");
      EXPECT_THAT(error, HasSubstr(file.file_name)) << file.name;
      for (const std::string& word : file.words) EXPECT_THAT(error, HasSubstr(word)) << file.name;
      Cancel(id);
      return;
    }
    const json body = json::parse(response->body, nullptr, false);
    const json error = body.is_object() && body.contains("error") ? body["error"] : json::object();
    const std::string message = error.value("message", response->body);
    const bool over_upload_limit =
        static_cast<int64_t>(std::filesystem::file_size(
            dir_.path() / "in" / file.name / file.file_name)) > ServerLimits().max_file_bytes;
    if (over_upload_limit) {
      EXPECT_EQ(response->status, 413) << file.name << ": " << response->body;
      EXPECT_EQ(error.value("code", ""), "payload_too_large");
      EXPECT_THAT(message, HasSubstr(file.file_name + " is larger than the upload limit"));
      return;
    }
    const bool over_a_limit = file.code == ErrorCode::kResourceExhausted;
    EXPECT_EQ(response->status, over_a_limit ? 422 : 400) << file.name << ": " << response->body;
    EXPECT_EQ(error.value("code", ""), over_a_limit ? "resource_exhausted" : "invalid_argument");
    EXPECT_EQ(error.value("field", ""), "file");
    EXPECT_THAT(message, HasSubstr(file.file_name)) << file.name;
    for (const std::string& word : file.words) EXPECT_THAT(message, HasSubstr(word)) << file.name;
    EXPECT_THAT(message, Not(HasSubstr("root:")));  // nothing of /etc/passwd
  }

  void ExpectNothingStored() {
    auto jobs = client_->Get("/api/v1/imports");
    ASSERT_TRUE(jobs);
    const json listed = json::parse(jobs->body);  // kept: a loop over a temporary's member dangles
    for (const json& job : listed["jobs"]) {
      EXPECT_EQ(job["state"], "cancelled") << jobs->body;  // only files its check refused
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "files" / "uploads"));
    auto users = client_->Get("/api/v1/users");
    ASSERT_TRUE(users);
    EXPECT_EQ(json::parse(users->body)["total"], 3);
  }

  void ExpectHealthy() {
    httplib::Client health("127.0.0.1", port_);
    auto response = health.Get("/healthz");
    ASSERT_TRUE(response) << "the server no longer answers";
    EXPECT_EQ(response->status, 200);
  }

  // Uploads the readable file `name` of the suite, expecting 201; returns the job's id.
  int64_t UploadReadable(std::string_view name, json* job = nullptr) {
    auto upload = UploadHostile(testing::HostileFileNamed(name, ServerLimits()));
    EXPECT_TRUE(upload && upload->status == 201) << name << ": " << (upload ? upload->body : "");
    if (!upload || upload->status != 201) return 0;
    const json body = json::parse(upload->body);
    if (job != nullptr) *job = body;
    return body["id"].get<int64_t>();
  }

  // Checks job `id` (in the background, waiting for it) and returns its Job.
  json Validate(int64_t id) {
    return testing::ValidateJob(*client_, "/api/v1/imports/" + std::to_string(id));
  }

  void Cancel(int64_t id) {
    auto response = client_->Delete("/api/v1/imports/" + std::to_string(id));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "files" / "uploads"));
  }

  testing::TempDir dir_;
  SystemClock clock_;
  SystemRandom random_;
  std::string db_url_;
  Organization acme_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

class RefusedFileApiTest : public BadFilesApiTest,
                           public ::testing::WithParamInterface<HostileFile> {};

TEST_P(RefusedFileApiTest, AnswersFourHundredsAndStoresNothing) {
  const HostileFile& file = GetParam();
  ExpectRefused(file, UploadHostile(file));
  ExpectNothingStored();
  ExpectHealthy();
}

std::vector<HostileFile> RefusedFiles() {
  std::vector<HostileFile> refused;
  for (HostileFile& file : testing::HostileFiles(ServerLimits())) {
    if (file.code != ErrorCode::kOk) refused.push_back(std::move(file));
  }
  return refused;
}

INSTANTIATE_TEST_SUITE_P(BadFiles, RefusedFileApiTest, ::testing::ValuesIn(RefusedFiles()),
                         [](const ::testing::TestParamInfo<HostileFile>& info) {
                           return info.param.name;
                         });

TEST_F(BadFilesApiTest, TheServerKeepsServingAfterAllOfThem) {
  for (const HostileFile& file : RefusedFiles()) ExpectRefused(file, UploadHostile(file));
  ExpectNothingStored();
  ExpectHealthy();
  // A good file still goes through the whole wizard, to the deletion.
  auto upload = Upload("leavers.csv", "Email\nbob@acme.example\n");
  ASSERT_TRUE(upload);
  ASSERT_EQ(upload->status, 201) << upload->body;
  const int64_t id = json::parse(upload->body)["id"].get<int64_t>();
  json job = Validate(id);
  EXPECT_EQ(job["state"], "validated");
  EXPECT_EQ(job["counts"]["to_delete"], 1);
  const std::string base = "/api/v1/imports/" + std::to_string(id);
  auto executed = testing::ExecuteJob(*client_, base, false);
  ASSERT_TRUE(executed);
  ASSERT_EQ(executed->status, 202) << executed->body;
  job = testing::AwaitJob(*client_, base, [](const json& seen) {
    return seen["state"] != "queued" && seen["state"] != "running";
  });
  EXPECT_EQ(job["state"], "done");
  EXPECT_EQ(job["counts"]["deleted"], 1);
  EXPECT_EQ(json::parse(client_->Get("/api/v1/users")->body)["total"], 2);
}

// The readable files of the suite: uploaded like any file, and what the check then says.

TEST_F(BadFilesApiTest, AHeaderWithoutRowsHasNothingToDelete) {
  for (const char* name : {"xlsx_header_only", "csv_header_only"}) {
    const int64_t id = UploadReadable(name);
    const json job = Validate(id);
    EXPECT_EQ(job["state"], "validated") << name;
    EXPECT_EQ(job["counts"]["rows"], 0) << name;
    EXPECT_EQ(job["counts"]["to_delete"], 0) << name;
    Cancel(id);
  }
}

TEST_F(BadFilesApiTest, ASheetOfExactlyTheRowLimitIsRead) {
  for (const char* name : {"xlsx_rows_at_limit", "csv_rows_at_limit"}) {
    const int64_t id = UploadReadable(name);
    const json job = Validate(id);
    EXPECT_EQ(job["counts"]["rows"], ServerLimits().max_rows) << name;
    EXPECT_EQ(job["counts"]["empty_rows"], ServerLimits().max_rows) << name;
    EXPECT_EQ(job["counts"]["to_delete"], 0) << name;
    Cancel(id);
  }
}

TEST_F(BadFilesApiTest, TextThatIsNotUtf8IsReadAsWindows1252) {
  json uploaded;
  const int64_t id = UploadReadable("csv_not_utf8", &uploaded);
  EXPECT_EQ(uploaded["preview"][1]["cells"][0], "ren\xC3\xA9@acme.example");  // é, not mojibake
  const json job = Validate(id);
  EXPECT_EQ(job["state"], "mapped");
  EXPECT_EQ(job["issue_counts"]["not_found"], 1);
  Cancel(id);
}

}  // namespace
}  // namespace roster::http
