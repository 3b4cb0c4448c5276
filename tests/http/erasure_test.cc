// Deleted means erased (DESIGN.md section 2): after a delete import through the API, none of
// the deleted users' addresses or names can be found in the raw bytes of the SQLite file,
// its WAL, the server's log, the audit log or the stored job, although the admin typed a
// corrected address into the wizard.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "auth/admins.h"
#include "core/email.h"
#include "http/server.h"
#include "http/support/job_api.h"
#include "random/system_random.h"
#include "store/backends/open_store.h"
#include "support/temp_dir.h"

namespace roster::http {
namespace {

using auth::NewAdmin;
using json = nlohmann::json;

constexpr std::string_view kPassword = "correct-horse-battery";

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(ErasureTest, NoTraceOfDeletedUsersInTheDatabaseItsWalTheLogOrTheJob) {
  testing::TempDir dir;
  SystemClock clock;
  SystemRandom random;
  const std::string db_url = "sqlite:" + (dir.path() / "roster.db").string();
  {
    std::unique_ptr<Store> store = std::move(OpenStore(db_url, clock)).value();
    Organization acme = *store->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
    ASSERT_TRUE(
        store->CreateAdmin(*NewAdmin(acme, "admin@acme.example", kPassword, AdminRole::kAdmin))
            .ok());
    // Enough users that the deleted ones share pages with kept ones, as in real lists.
    for (int i = 0; i < 300; ++i) {
      User user;
      user.first_name = i < 2 ? (i == 0 ? "Zelda" : "Ximena") : "Kept";
      user.last_name = i < 2 ? (i == 0 ? "Quixotic" : "Vexillum") : "Person" + std::to_string(i);
      user.email = i < 2 ? (i == 0 ? "zelda.quixotic@acme.example" : "ximena.vexillum@acme.example")
                         : "kept" + std::to_string(i) + "@acme.example";
      user.email_key = *EmailKey(user.email);
      user.language = "en";
      ASSERT_TRUE(store->CreateUser(acme.id, user).ok());
    }
    ASSERT_TRUE(store->CreateElearningAccount(acme.id, "zelda.quixotic@acme.example").ok());
  }

  std::mutex log_mutex;
  std::string log;
  ServerOptions options;
  options.port = 0;
  options.db_url = db_url;
  options.data_dir = (dir.path() / "files").string();
  options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    log += line + "\n";
  };
  auto server = std::make_unique<Server>(options, clock, random);
  const int port = *server->Bind();
  std::thread thread([&] { (void)server->Listen(); });
  // Stops the server however the test ends, so that a failed assertion is reported.
  auto stop = [&] {
    if (!thread.joinable()) return;
    server->Stop();
    thread.join();
  };
  struct Stopper {
    std::function<void()> stop;
    ~Stopper() { stop(); }
  } stopper{stop};

  httplib::Client client("127.0.0.1", port);
  auto session = client.Post("/api/v1/session",
                             json{{"email", "admin@acme.example"}, {"password", kPassword}}.dump(),
                             "application/json");
  ASSERT_EQ(session->status, 200);
  const std::string cookie = session->get_header_value("Set-Cookie");
  client.set_default_headers({{"Cookie", cookie.substr(0, cookie.find(';'))},
                              {"X-CSRF-Token", json::parse(session->body)["csrf_token"]}});
  httplib::MultipartFormDataItems items = {
      {"mode", "delete", "", ""},
      {"file", "E-Mail\nzelda.quixotc@acme.example\nximena.vexillum@acme.example\n", "leavers.csv",
       "text/csv"}};
  auto upload = client.Post("/api/v1/imports", items);
  ASSERT_EQ(upload->status, 201) << upload->body;
  const std::string base =
      "/api/v1/imports/" + std::to_string(json::parse(upload->body)["id"].get<int64_t>());
  testing::ValidateJob(client, base);
  json job = testing::StepAndCheck(client, base, "/fixes",
                                   {{"row", 2}, {"value", "zelda.quixotic@acme.example"}});
  ASSERT_EQ(job["state"], "validated") << job.dump();
  ASSERT_EQ(testing::ExecuteJob(client, base, true)->status, 202);
  // Over once the report is written: after the commit and the WAL's truncation.
  job = testing::AwaitJob(client, base, [](const json& seen) {
    return seen.value("state", "") == "done" && seen.value("report_available", false);
  });
  ASSERT_EQ(job["state"], "done");
  ASSERT_EQ(job["counts"]["deleted"], 2);
  const std::string stored_job = client.Get(base)->body + client.Get("/api/v1/imports")->body +
                                 client.Get(base + "/issues")->body +
                                 client.Get("/api/v1/audit")->body;
  // Read while the server still has the database open: the WAL exists only then (it may be
  // empty: the deletion truncates it).
  const std::string wal = ReadBytes(dir.path() / "roster.db-wal");
  ASSERT_TRUE(std::filesystem::exists(dir.path() / "roster.db-wal"));
  stop();
  server.reset();
  const std::string database = ReadBytes(dir.path() / "roster.db");
  ASSERT_NE(database.find("kept17@acme.example"), std::string::npos);  // the reading works
  for (const char* trace :
       {"zelda.quixotic", "zelda.quixotc", "Quixotic", "ximena.vexillum", "Vexillum", "Ximena"}) {
    // find() rather than HasSubstr: a failure must not print the whole database.
    EXPECT_EQ(database.find(trace), std::string::npos) << trace << " in the database file";
    EXPECT_EQ(wal.find(trace), std::string::npos) << trace << " in the WAL";
    EXPECT_EQ(log.find(trace), std::string::npos) << trace << " in the server log";
    EXPECT_EQ(stored_job.find(trace), std::string::npos) << trace << " in the job or audit log";
  }
}

}  // namespace
}  // namespace roster::http
