// Issue 13's race, as it was reproduced against `roster serve`: a large file X is checked, a
// second check of it starts, and a moment later a corrected file Y replaces it. Whichever
// finishes first, the job never holds X's plan beside Y's file: either the check of X is
// refused (the replacement came first) or the replacement is (409 with the job as it is), and
// the execution deletes exactly the users of the file the job records, reports them, and the
// audit names that file's digest. Run on SQLite and on PostgreSQL, several times, with the
// replacement at different moments of the check.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "auth/admins.h"
#include "core/email.h"
#include "http/server.h"
#include "http/support/job_api.h"
#include "import/digests.h"
#include "random/system_random.h"
#include "store/backends/open_store.h"
#include "store/store.h"
#include "store/support/store_backends.h"
#include "support/temp_dir.h"

namespace roster::http {
namespace {

using auth::NewAdmin;
using json = nlohmann::json;

constexpr std::string_view kPassword = "correct-horse-battery";
constexpr int kRowsOfX = 60'000;

std::string FileX() {
  std::string text = "E-Mail\n";
  text.reserve(kRowsOfX * 20);
  for (int i = 0; i < kRowsOfX; ++i) text += "a" + std::to_string(i % 5) + "@acme.example\n";
  return text;
}
constexpr const char* kFileY =
    "E-Mail\nb0@acme.example\nb1@acme.example\nb2@acme.example\nb3@acme.example\n"
    "b4@acme.example\n";

using RaceParam = std::tuple<testing::StoreBackend, int>;  // the replacement after N ms

class JobRaceApiTest : public ::testing::TestWithParam<RaceParam> {
 protected:
  void SetUp() override {
    const testing::StoreBackend& backend = std::get<0>(GetParam());
    if (!backend.skip.empty()) GTEST_SKIP() << backend.skip;
    Result<std::string> url = backend.fresh_url(dir_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    db_url_ = *url;
    std::unique_ptr<Store> store = std::move(OpenStore(db_url_, clock_)).value();
    acme_ = *store->CreateOrganization({0, "acme", "Acme Corp", "en", {"acme.example"}});
    std::vector<User> users;
    for (const char* prefix : {"a", "b"}) {
      for (int i = 0; i < 5; ++i) {
        User& user = users.emplace_back();
        user.email = prefix + std::to_string(i) + "@acme.example";
        user.email_key = *EmailKey(user.email);
        user.first_name = user.last_name = prefix;
      }
    }
    ASSERT_TRUE(store->CreateUsers(acme_.id, users).ok());
    ASSERT_TRUE(
        store->CreateAdmin(*NewAdmin(acme_, "admin@acme.example", kPassword, AdminRole::kAdmin))
            .ok());

    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.db_url = db_url_;
    options.data_dir = (dir_.path() / "files").string();
    server_ = std::make_unique<Server>(options, clock_, random_);
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  std::unique_ptr<httplib::Client> SignIn() {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(std::chrono::seconds(120));
    auto response = client->Post(
        "/api/v1/session",
        json{{"email", "admin@acme.example"}, {"password", std::string(kPassword)}}.dump(),
        "application/json");
    EXPECT_TRUE(response && response->status == 200);
    const std::string cookie = response->get_header_value("Set-Cookie");
    const std::string csrf = json::parse(response->body)["csrf_token"];
    client->set_default_headers(
        {{"Cookie", cookie.substr(0, cookie.find(';'))}, {"X-CSRF-Token", csrf}});
    return client;
  }

  testing::TempDir dir_;
  SystemClock clock_;
  SystemRandom random_;
  std::string db_url_;
  Organization acme_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_P(JobRaceApiTest, AFileReplacedDuringACheckNeverRunsWithTheOtherFilesPlan) {
  auto client = SignIn();
  httplib::MultipartFormDataItems x = {{"mode", "delete", "", ""},
                                       {"file", FileX(), "x.csv", "text/csv"}};
  auto uploaded = client->Post("/api/v1/imports", x);
  ASSERT_TRUE(uploaded && uploaded->status == 201) << (uploaded ? uploaded->body : "no answer");
  const std::string base =
      "/api/v1/imports/" + std::to_string(json::parse(uploaded->body)["id"].get<int64_t>());
  json job = testing::ValidateJob(*client, base);
  ASSERT_EQ(job["state"], "validated") << job.dump();
  ASSERT_EQ(job["counts"]["to_delete"], 5);

  // The second check, and the corrected file a moment later, on a second connection.
  auto asked = client->Post(base + "/validate", "", "application/json");
  ASSERT_EQ(asked->status, 202) << asked->body;
  std::this_thread::sleep_for(std::chrono::milliseconds(std::get<1>(GetParam())));
  auto other = SignIn();
  httplib::MultipartFormDataItems y = {{"file", kFileY, "y.csv", "text/csv"}};
  auto replaced = other->Put(base + "/file", y);
  ASSERT_TRUE(replaced);
  // Either it came first (200, the check of X is refused and Y is checked), or the check of X
  // saved first and the replacement, having read the job before, is refused with the job as
  // it is now (409): never X's plan with Y's file.
  ASSERT_TRUE(replaced->status == 200 || replaced->status == 409) << replaced->body;
  if (replaced->status == 409) {
    EXPECT_EQ(json::parse(replaced->body)["error"]["code"], "aborted");
    EXPECT_TRUE(json::parse(replaced->body).contains("job"));
  }
  job = testing::AwaitChecked(*client, base);
  const bool y_won = replaced->status == 200;
  EXPECT_EQ(job["file_name"], y_won ? "y.csv" : "x.csv") << job.dump();
  EXPECT_EQ(job["counts"]["rows"], y_won ? 5 : kRowsOfX) << job.dump();
  EXPECT_EQ(job["counts"]["to_delete"], 5);

  auto started = testing::ExecuteJob(*client, base, false);
  ASSERT_EQ(started->status, 202) << started->body;
  job = testing::AwaitJob(*client, base, [](const json& seen) {
    return seen["state"] == "done" && seen["report_available"] == true;
  });
  ASSERT_EQ(job["state"], "done") << job.dump();
  std::unique_ptr<Store> store = std::move(OpenStore(db_url_, clock_)).value();
  UserPage left = *store->ListUsers(acme_.id, {"", UserSort::kEmail, false, 100, 0});
  ASSERT_EQ(left.users.size(), 5u);
  for (const UserListEntry& entry : left.users) {
    EXPECT_EQ(entry.user.email[0], y_won ? 'a' : 'b') << entry.user.email;
  }
  auto report = client->Get(base + "/report?format=csv");
  ASSERT_EQ(report->status, 200);
  EXPECT_NE(report->body.find(y_won ? "b0@acme.example" : "a0@acme.example"), std::string::npos);
  EXPECT_EQ(report->body.find(y_won ? "a0@acme.example" : "b0@acme.example"), std::string::npos);
  json audit = json::parse(client->Get("/api/v1/audit")->body);
  ASSERT_EQ(audit["events"].size(), 1u);
  testing::TempDir digest_dir;
  const std::string kept = (digest_dir.path() / "kept.csv").string();
  {
    std::ofstream out(kept, std::ios::binary);
    out << (y_won ? std::string(kFileY) : FileX());
  }
  EXPECT_EQ(audit["events"][0]["details"]["file_sha256"],
            import::DigestFile(kept, "kept.csv")->sha256_hex);
}

INSTANTIATE_TEST_SUITE_P(Moments, JobRaceApiTest,
                         ::testing::Combine(::testing::ValuesIn(testing::StoreBackends()),
                                            ::testing::Values(0, 30, 150)),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_after_" +
                                  std::to_string(std::get<1>(info.param)) + "ms";
                         });

}  // namespace
}  // namespace roster::http
