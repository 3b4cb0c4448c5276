// The HTTP API over real HTTP: a Server on a free port with a temporary SQLite database,
// driven by httplib's client. Pins the guards (sessions, CSRF, roles, sealed tenants), the
// error shape and the delete wizard from upload to report.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/admins.h"
#include "http/server.h"
#include "http/support/job_api.h"
#include "random/system_random.h"
#include "store/backends/open_store.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/test_users.h"

namespace roster::http {
namespace {

using auth::NewAdmin;
using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr std::string_view kPassword = "correct-horse-battery";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_url_ = "sqlite:" + (dir_.path() / "roster.db").string();
    std::unique_ptr<Store> store = std::move(OpenStore(db_url_, clock_)).value();
    acme_ = *store->CreateOrganization({0, "acme", "Acme Corp", "en", {"acme.example"}});
    globex_ = *store->CreateOrganization({0, "globex", "Globex", "en", {"globex.example"}});
    for (const auto& [email, first, last] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"anna.schmidt@acme.example", "Anna", "Schmidt"},
             {"bob.jones@acme.example", "Bob", "Jones"},
             {"carla.diaz@acme.example", "Carla", "Diaz"},
             {"dora.lee@acme.example", "Dora", "Lee"}}) {
      users_[first] = store->CreateUser(acme_.id, testing::TestUser(email, first, last))->id;
    }
    User other;
    other.email = other.email_key = "gina@globex.example";
    other.first_name = "Gina";
    other.last_name = "Globex";
    other.language = "en";
    globex_user_ = store->CreateUser(globex_.id, other)->id;
    ASSERT_TRUE(store->CreateElearningAccount(acme_.id, "anna.schmidt@acme.example").ok());
    ASSERT_TRUE(store->CreateElearningAccount(acme_.id, "bob.jones@acme.example").ok());
    for (const auto& [org, email, role] :
         std::vector<std::tuple<Organization, std::string, AdminRole>>{
             {acme_, "owner@acme.example", AdminRole::kOwner},
             {acme_, "admin@acme.example", AdminRole::kAdmin},
             {acme_, "viewer@acme.example", AdminRole::kViewer},
             {globex_, "owner@globex.example", AdminRole::kOwner}}) {
      ASSERT_TRUE(store->CreateAdmin(*NewAdmin(org, email, kPassword, role)).ok());
    }

    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.db_url = db_url_;
    options.data_dir = (dir_.path() / "files").string();
    options.limits.max_file_bytes = 256 * 1024;
    options.auth.max_failures = 3;
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

  // A client signed in as `email`; its CSRF token in csrf_.
  std::unique_ptr<httplib::Client> SignIn(const std::string& email) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    auto response =
        client->Post("/api/v1/session", json{{"email", email}, {"password", kPassword}}.dump(),
                     "application/json");
    EXPECT_TRUE(response);
    EXPECT_EQ(response->status, 200) << response->body;
    const std::string cookie = response->get_header_value("Set-Cookie");
    EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
    EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
    csrf_ = json::parse(response->body)["csrf_token"];
    cookie_ = cookie.substr(0, cookie.find(';'));
    client->set_default_headers({{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}});
    return client;
  }

  static json Body(const httplib::Result& response) {
    EXPECT_TRUE(response);
    return json::parse(response->body, nullptr, false);
  }

  httplib::Result Upload(httplib::Client& client, const std::string& mode, const std::string& name,
                         const std::string& content) {
    httplib::MultipartFormDataItems items = {{"mode", mode, "", ""},
                                             {"file", content, name, "text/csv"}};
    return client.Post("/api/v1/imports", items);
  }

  std::unique_ptr<Store> OpenOwnStore() { return std::move(OpenStore(db_url_, clock_)).value(); }

  testing::TempDir dir_;
  SystemClock clock_;
  SystemRandom random_;
  std::string db_url_;
  Organization acme_;
  Organization globex_;
  std::map<std::string, int64_t> users_;
  int64_t globex_user_ = 0;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string csrf_;
  std::string cookie_;
};

TEST_F(ApiTest, AnswersHealthAndCarriesSecurityHeaders) {
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Get("/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Body(response)["status"], "ok");
  EXPECT_THAT(response->get_header_value("Content-Security-Policy"),
              HasSubstr("default-src 'self'"));
  EXPECT_EQ(response->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(ApiTest, WithoutASessionEverythingIsUnauthenticated) {
  httplib::Client client("127.0.0.1", port_);
  for (const char* path :
       {"/api/v1/users", "/api/v1/session", "/api/v1/imports", "/api/v1/audit"}) {
    auto response = client.Get(path);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401) << path;
    EXPECT_EQ(Body(response)["error"]["code"], "unauthenticated") << path;
  }
  client.set_default_headers({{"Cookie", "roster_session=forged"}});
  EXPECT_EQ(client.Get("/api/v1/users")->status, 401);
}

TEST_F(ApiTest, WrongPasswordsAreRefusedAlikeAndThrottled) {
  httplib::Client client("127.0.0.1", port_);
  auto wrong = client.Post("/api/v1/session",
                           json{{"email", "owner@acme.example"}, {"password", "nope"}}.dump(),
                           "application/json");
  auto unknown = client.Post("/api/v1/session",
                             json{{"email", "nobody@acme.example"}, {"password", "nope"}}.dump(),
                             "application/json");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(Body(wrong)["error"]["message"], Body(unknown)["error"]["message"]);
  client.Post("/api/v1/session", json{{"email", "owner@acme.example"}, {"password", "x"}}.dump(),
              "application/json");
  auto throttled = client.Post(
      "/api/v1/session",
      json{{"email", "owner@acme.example"}, {"password", std::string(kPassword)}}.dump(),
      "application/json");
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(Body(throttled)["error"]["code"], "too_many_requests");
}

TEST_F(ApiTest, ChangesNeedTheCsrfTokenAndLogoutEndsTheSession) {
  auto client = SignIn("admin@acme.example");
  httplib::Client bare("127.0.0.1", port_);
  bare.set_default_headers({{"Cookie", cookie_}});
  auto refused = bare.Delete("/api/v1/users/" + std::to_string(users_["Dora"]));
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Body(refused)["error"]["code"], "csrf_required");
  EXPECT_TRUE(OpenOwnStore()->GetUser(acme_.id, users_["Dora"]).ok());

  EXPECT_EQ(client->Delete("/api/v1/session")->status, 204);
  EXPECT_EQ(client->Get("/api/v1/users")->status, 401);
}

TEST_F(ApiTest, ViewersReadButChangeNothing) {
  auto client = SignIn("viewer@acme.example");
  EXPECT_EQ(client->Get("/api/v1/users")->status, 200);
  auto deleted = client->Delete("/api/v1/users/" + std::to_string(users_["Dora"]));
  EXPECT_EQ(deleted->status, 403);
  EXPECT_EQ(Body(deleted)["error"]["code"], "permission_denied");
  auto upload = Upload(*client, "delete", "f.csv", "E-Mail\nanna.schmidt@acme.example\n");
  EXPECT_EQ(upload->status, 403);
  EXPECT_EQ(client->Get("/api/v1/admins")->status, 403);
  EXPECT_EQ(OpenOwnStore()->CountUsers(acme_.id).value(), 4);
}

TEST_F(ApiTest, AdminsCannotManageAdminsButOwnersCan) {
  auto admin = SignIn("admin@acme.example");
  EXPECT_EQ(admin->Get("/api/v1/admins")->status, 403);
  auto owner = SignIn("owner@acme.example");
  auto created = owner->Post(
      "/api/v1/admins",
      json{{"email", "new@acme.example"}, {"password", "long-enough-secret"}, {"role", "viewer"}}
          .dump(),
      "application/json");
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_FALSE(Body(created).contains("password_hash"));
  auto weak = owner->Post(
      "/api/v1/admins",
      json{{"email", "weak@acme.example"}, {"password", "short"}, {"role", "admin"}}.dump(),
      "application/json");
  EXPECT_EQ(weak->status, 400);
  EXPECT_EQ(Body(weak)["error"]["field"], "password");
  EXPECT_EQ(Body(owner->Get("/api/v1/admins"))["admins"].size(), 4u);
}

TEST_F(ApiTest, AnotherOrganizationsIdsAnswerLikeNonexistentOnes) {
  auto client = SignIn("owner@acme.example");
  auto foreign = client->Get("/api/v1/users/" + std::to_string(globex_user_));
  auto missing = client->Get("/api/v1/users/999999");
  EXPECT_EQ(foreign->status, 404);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Body(foreign)["error"]["code"], Body(missing)["error"]["code"]);
  EXPECT_EQ(client->Delete("/api/v1/users/" + std::to_string(globex_user_))->status, 404);
  EXPECT_TRUE(OpenOwnStore()->GetUser(globex_.id, globex_user_).ok());

  auto globex = SignIn("owner@globex.example");
  auto upload = Upload(*globex, "delete", "g.csv", "Email\ngina@globex.example\n");
  ASSERT_EQ(upload->status, 201) << upload->body;
  const std::string job = std::to_string(Body(upload)["id"].get<int64_t>());
  for (const std::string& path : {"/api/v1/imports/" + job, "/api/v1/imports/" + job + "/issues",
                                  "/api/v1/imports/" + job + "/report"}) {
    EXPECT_EQ(client->Get(path)->status, 404) << path;
  }
  EXPECT_EQ(client
                ->Post("/api/v1/imports/" + job + "/execute", {{"If-Match", "\"1\""}},
                       json{{"delete_elearning_accounts", true}}.dump(), "application/json")
                ->status,
            404);
  auto search = Body(client->Get("/api/v1/users?search=gina"));
  EXPECT_EQ(search["total"], 0);
}

TEST_F(ApiTest, TheUserListSearchesSortsAndPages) {
  auto client = SignIn("viewer@acme.example");
  json page = Body(client->Get("/api/v1/users?sort=first_name&order=desc&limit=2&offset=1"));
  EXPECT_EQ(page["total"], 4);
  ASSERT_EQ(page["users"].size(), 2u);
  EXPECT_EQ(page["users"][0]["first_name"], "Carla");
  EXPECT_EQ(page["users"][1]["first_name"], "Bob");
  EXPECT_FALSE(page["users"][1]["elearning_account_id"].is_null());
  auto bad = client->Get("/api/v1/users?sort=salary");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "sort");
  EXPECT_EQ(Body(client->Get("/api/v1/users?search=SCHMIDT"))["total"], 1);
}

TEST_F(ApiTest, DownloadsTheExportAndTheTemplateAndKeepsNoCopy) {
  auto client = SignIn("viewer@acme.example");
  auto exported = client->Get("/api/v1/users/export?format=csv");
  ASSERT_EQ(exported->status, 200);
  EXPECT_THAT(exported->get_header_value("Content-Disposition"), HasSubstr("acme-users.csv"));
  EXPECT_THAT(exported->body, HasSubstr("dora.lee@acme.example"));
  EXPECT_EQ(client->Get("/api/v1/users/export?format=ods")->status, 400);
  auto workbook = client->Get("/api/v1/template?mode=delete");
  ASSERT_EQ(workbook->status, 200);
  EXPECT_EQ(workbook->body.substr(0, 2), "PK");  // a zip: the xlsx
  EXPECT_THAT(workbook->get_header_value("Content-Type"), HasSubstr("spreadsheetml"));
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "files" / "uploads"));
}

TEST_F(ApiTest, AdminsCreateChangeAndDeleteSingleUsers) {
  auto client = SignIn("admin@acme.example");
  auto outside = client->Post(
      "/api/v1/users",
      json{{"email", "eve@elsewhere.example"}, {"first_name", "Eve"}, {"last_name", "E"}}.dump(),
      "application/json");
  EXPECT_EQ(outside->status, 400);
  EXPECT_EQ(Body(outside)["error"]["field"], "email");
  auto created = client->Post("/api/v1/users",
                              json{{"email", "Eve.Smith@ACME.example"},
                                   {"first_name", "Eve"},
                                   {"last_name", "Smith"},
                                   {"department", "IT"}}
                                  .dump(),
                              "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t id = Body(created)["id"];
  auto patched = client->Patch("/api/v1/users/" + std::to_string(id),
                               json{{"location", "Berlin"}}.dump(), "application/json");
  EXPECT_EQ(Body(patched)["location"], "Berlin");
  EXPECT_EQ(
      client->Delete("/api/v1/users/" + std::to_string(users_["Anna"]) + "?delete_elearning=false")
          ->status,
      204);
  EXPECT_EQ(OpenOwnStore()->CountElearningAccounts(acme_.id).value(), 2);
  EXPECT_EQ(
      client->Delete("/api/v1/users/" + std::to_string(users_["Bob"]) + "?delete_elearning=true")
          ->status,
      204);
  EXPECT_EQ(OpenOwnStore()->CountElearningAccounts(acme_.id).value(), 1);
  // Each single deletion is in the audit log, by id, never by address or name.
  json audit = Body(client->Get("/api/v1/audit"));
  ASSERT_EQ(audit["events"].size(), 2u);
  EXPECT_EQ(audit["events"][0]["action"], "user.delete");
  EXPECT_EQ(audit["events"][0]["actor"], "admin@acme.example");
  EXPECT_EQ(audit["events"][0]["details"]["user_id"], users_["Bob"]);
  EXPECT_EQ(audit["events"][0]["details"]["delete_elearning"], true);
  EXPECT_EQ(audit.dump().find("bob.jones"), std::string::npos);
}

TEST_F(ApiTest, TheDeleteWizardRunsFromUploadToReport) {
  auto client = SignIn("admin@acme.example");
  auto upload = Upload(*client, "delete", "leavers.csv",
                       "Name;E-Mail-Adresse\n"
                       "Anna;anna.schmidt@acme.example\n"
                       "Bob;bob.jnoes@acme.example\n"
                       "Zed;zed@acme.example\n"
                       ";\n"
                       "Anna again;ANNA.SCHMIDT@acme.example\n"
                       "Carla;carla.diaz@acme.example\n");
  ASSERT_EQ(upload->status, 201) << upload->body;
  json job = Body(upload);
  const std::string base = "/api/v1/imports/" + std::to_string(job["id"].get<int64_t>());
  EXPECT_EQ(job["state"], "uploaded");
  EXPECT_EQ(job["mapping"]["email"], "E-Mail-Adresse");
  EXPECT_EQ(job["columns"][1]["automatic"], true);
  EXPECT_EQ(job["preview"].size(), 6u);  // the empty row 5 is a gap in the numbers

  // Executing before the errors are resolved changes nothing.
  job = testing::ValidateJob(*client, base);
  EXPECT_EQ(job["state"], "mapped");
  EXPECT_EQ(job["counts"]["errors"], 2);
  EXPECT_EQ(job["issue_counts"]["not_found"], 2);
  EXPECT_EQ(job["issue_counts"]["duplicate_email"], 1);
  auto early = testing::ExecuteJob(*client, base, true);
  EXPECT_EQ(early->status, 409);
  EXPECT_EQ(OpenOwnStore()->CountUsers(acme_.id).value(), 4);

  json issues = Body(client->Get(base + "/issues?limit=10"));
  EXPECT_EQ(issues["total"], 3);
  EXPECT_EQ(issues["issues"][0]["row"], 3);
  EXPECT_EQ(issues["issues"][0]["suggestion"], "bob.jones@acme.example");
  // Accept the suggestion, exclude the unknown address.
  job = testing::StepAndCheck(*client, base, "/fixes",
                              {{"row", 3}, {"value", "bob.jones@acme.example"}});
  EXPECT_EQ(job["counts"]["errors"], 1);
  job = testing::StepAndCheck(*client, base, "/exclusions", {{"row", 4}});
  EXPECT_EQ(job["state"], "validated");
  EXPECT_EQ(job["counts"]["to_delete"], 3);
  EXPECT_EQ(job["counts"]["elearning_linked"], 2);
  EXPECT_EQ(job["counts"]["empty_rows"], 1);
  EXPECT_EQ(job["counts"]["duplicates"], 1);

  auto missing_choice = client->Post(base + "/execute", "{}", "application/json");
  EXPECT_EQ(missing_choice->status, 400);
  EXPECT_EQ(Body(missing_choice)["error"]["field"], "delete_elearning_accounts");
  // The confirmation names the version the admin saw: without one nothing runs, and one the
  // job is no longer at answers the job as it is now.
  auto unnamed = client->Post(base + "/execute", json{{"delete_elearning_accounts", true}}.dump(),
                              "application/json");
  EXPECT_EQ(unnamed->status, 428);
  EXPECT_EQ(Body(unnamed)["error"]["code"], "precondition_required");
  const int64_t version = job["version"];
  auto stale = client->Post(base + "/execute", {{"If-Match", std::to_string(version - 1)}},
                            json{{"delete_elearning_accounts", true}}.dump(), "application/json");
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(Body(stale)["error"]["code"], "aborted");
  EXPECT_EQ(Body(stale)["job"]["version"], version);
  auto garbled = client->Post(base + "/execute", {{"If-Match", "\"v7\""}},
                              json{{"delete_elearning_accounts", true}}.dump(), "application/json");
  EXPECT_EQ(garbled->status, 400);
  EXPECT_EQ(Body(garbled)["error"]["field"], "If-Match");
  EXPECT_EQ(OpenOwnStore()->CountUsers(acme_.id).value(), 4);
  auto started =
      client->Post(base + "/execute", {{"If-Match", "\"" + std::to_string(version) + "\""}},
                   json{{"delete_elearning_accounts", true}}.dump(), "application/json");
  ASSERT_EQ(started->status, 202) << started->body;
  EXPECT_EQ(started->get_header_value("ETag"), "\"" + std::to_string(version + 1) + "\"");
  // The report is written just after the commit: done, then the report.
  for (int i = 0; i < 200 && !(job["state"] == "done" && job["report_available"] == true); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    job = Body(client->Get(base));
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["counts"]["deleted"], 3);
  EXPECT_EQ(job["counts"]["elearning_deleted"], 2);
  EXPECT_TRUE(job["report_available"]);
  std::unique_ptr<Store> store = OpenOwnStore();
  EXPECT_EQ(store->CountUsers(acme_.id).value(), 1);
  EXPECT_TRUE(store->GetUser(acme_.id, users_["Dora"]).ok());
  EXPECT_EQ(store->CountElearningAccounts(acme_.id).value(), 0);

  auto report = client->Get(base + "/report?format=csv");
  ASSERT_EQ(report->status, 200);
  EXPECT_THAT(report->body, HasSubstr("deleted"));
  EXPECT_THAT(report->body, HasSubstr("excluded"));
  auto again = testing::ExecuteJob(*client, base, true);
  EXPECT_EQ(again->status, 409);
  json audit = Body(client->Get("/api/v1/audit"));
  ASSERT_EQ(audit["events"].size(), 1u);
  EXPECT_EQ(audit["events"][0]["address_hash_count"], 3);
  EXPECT_THAT(audit.dump(), ::testing::Not(HasSubstr("anna.schmidt")));
}

TEST_F(ApiTest, BadUploadsAreRefusedWithTheirReasonAndStoreNothing) {
  auto client = SignIn("admin@acme.example");
  auto pdf = Upload(*client, "delete", "leavers.xlsx", "%PDF-1.7\n%binary\n");
  EXPECT_EQ(pdf->status, 400);
  EXPECT_EQ(Body(pdf)["error"]["field"], "file");
  EXPECT_THAT(Body(pdf)["error"]["message"].get<std::string>(), HasSubstr("leavers.xlsx"));
  auto too_large = Upload(*client, "delete", "big.csv", std::string(300 * 1024, 'a'));
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(Body(too_large)["error"]["code"], "payload_too_large");
  auto no_mode = Upload(*client, "purge", "f.csv", "Email\nanna.schmidt@acme.example\n");
  EXPECT_EQ(no_mode->status, 400);
  EXPECT_EQ(Body(no_mode)["error"]["field"], "mode");
  EXPECT_EQ(Body(client->Get("/api/v1/imports"))["jobs"].size(), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "files" / "uploads"));
}

TEST_F(ApiTest, TheMappingAndHeaderRowCanBeChosen) {
  auto client = SignIn("admin@acme.example");
  auto upload = Upload(*client, "delete", "hr.csv",
                       "HR export 2026\nMail,Person\nanna.schmidt@acme.example,Anna\n");
  json job = Body(upload);
  const std::string base = "/api/v1/imports/" + std::to_string(job["id"].get<int64_t>());
  job = Body(client->Put(base + "/sheet", json{{"sheet", job["sheet"]}, {"header_row", 2}}.dump(),
                         "application/json"));
  EXPECT_EQ(job["header_row"], 2);
  ASSERT_EQ(job["columns"].size(), 2u);
  EXPECT_EQ(job["columns"][0]["header"], "Mail");
  EXPECT_EQ(job["columns"][0]["automatic"], true);
  auto unknown = client->Put(base + "/mapping", json{{"mapping", {{"email", "Nope"}}}}.dump(),
                             "application/json");
  EXPECT_EQ(unknown->status, 400);
  job = Body(client->Put(base + "/mapping", json{{"mapping", {{"email", "Person"}}}}.dump(),
                         "application/json"));
  EXPECT_EQ(job["mapping"]["email"], "Person");
  EXPECT_EQ(job["columns"][1]["automatic"], false);
  job = testing::ValidateJob(*client, base);
  EXPECT_EQ(job["issue_counts"]["invalid_email"], 1);
  job = Body(client->Put(base + "/mapping", json{{"mapping", {{"email", "Mail"}}}}.dump(),
                         "application/json"));
  job = testing::ValidateJob(*client, base);
  EXPECT_EQ(job["state"], "validated");
  EXPECT_EQ(job["counts"]["to_delete"], 1);
  job = Body(client->Put(base + "/mapping", json{{"mapping", {{"email", nullptr}}}}.dump(),
                         "application/json"));
  job = testing::ValidateJob(*client, base);
  EXPECT_EQ(job["issue_counts"]["column_not_mapped"], 1);
  EXPECT_EQ(client->Delete(base)->status, 200);
  EXPECT_EQ(Body(client->Get(base))["state"], "cancelled");
}

}  // namespace
}  // namespace roster::http
