// Two `roster serve` processes on one PostgreSQL database (DESIGN.md section 3: the service
// scales out on PostgreSQL): a job confirmed on both at the same moment runs once, two imports
// of one organization never run at the same time, and a job queued on a server that runs no
// imports is picked by the other.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "http/support/job_api.h"
#include "store/support/store_backends.h"
#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster::testing {
namespace {

using json = nlohmann::json;
constexpr const char* kPassword = "two-servers-password";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Server {
  int pid = 0;
  int port = 0;
};

class TwoServersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresTestsOff()) GTEST_SKIP() << kPostgresOff;
    Result<std::string> url = FreshPostgresUrl();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    RunOutput demo =
        RunRoster({"--db", url_, "demo"}, {std::string("ROSTER_ADMIN_PASSWORD=") + kPassword});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    for (Server* server : {&a_, &b_}) {
      const std::string out = dir_.File("out-" + std::to_string(server == &a_));
      // One data folder for both, as a shared volume would be: an upload received by one
      // server can be checked and run by the other.
      std::vector<std::string> args = {"--db",        url_,         "serve",           "--listen",
                                       "127.0.0.1:0", "--data-dir", dir_.File("files")};
      if (server == &a_) args.insert(args.end(), a_args_.begin(), a_args_.end());
      server->pid = StartRoster(args, out, ErrOf(*server));
      const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
      for (int i = 0; i < 400 && server->port == 0; ++i) {
        std::smatch match;
        const std::string text = ReadFile(out);
        if (std::regex_search(text, match, listening)) server->port = std::stoi(match[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ASSERT_GT(server->port, 0);
    }
  }

  void TearDown() override {
    for (Server* server : {&a_, &b_}) {
      if (server->pid <= 0) continue;
      kill(server->pid, SIGTERM);
      int status = 0;
      waitpid(server->pid, &status, 0);
    }
  }

  std::string ErrOf(const Server& server) {
    return dir_.File("err-" + std::to_string(&server == &a_));
  }

  // A client of `server` signed in as the demo owner (the session is in the database, so it
  // is good on both servers).
  std::unique_ptr<httplib::Client> Client(const Server& server) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server.port);
    client->set_read_timeout(60, 0);
    if (cookie_.empty()) {
      auto session =
          client->Post("/api/v1/session",
                       json{{"email", "owner@demo-corp.example"}, {"password", kPassword}}.dump(),
                       "application/json");
      EXPECT_TRUE(session && session->status == 200);
      cookie_ = session->get_header_value("Set-Cookie");
      cookie_ = cookie_.substr(0, cookie_.find(';'));
      csrf_ = json::parse(session->body)["csrf_token"];
    }
    client->set_default_headers({{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}});
    return client;
  }

  std::vector<std::string> DemoAddresses(int offset, int count) {
    RunOutput listed =
        RunRoster({"--db", url_, "users", "list", "--org", "demo", "--sort", "id", "--offset",
                   std::to_string(offset), "--limit", std::to_string(count), "--json"});
    const json page = json::parse(listed.out);  // kept: a loop over a temporary's member dangles
    std::vector<std::string> addresses;
    for (const json& user : page["users"]) addresses.push_back(user["email"]);
    return addresses;
  }

  int64_t UserCount() {
    RunOutput listed =
        RunRoster({"--db", url_, "users", "list", "--org", "demo", "--limit", "1", "--json"});
    return json::parse(listed.out)["total"];
  }

  // A validated delete job for the addresses, uploaded to `server`.
  int64_t ValidatedJob(const Server& server, const std::vector<std::string>& addresses) {
    std::string csv = "E-Mail\n";
    for (const std::string& address : addresses) csv += address + "\n";
    auto client = Client(server);
    httplib::MultipartFormDataItems items = {{"mode", "delete", "", ""},
                                             {"file", csv, "leavers.csv", "text/csv"}};
    auto upload = client->Post("/api/v1/imports", items);
    EXPECT_EQ(upload->status, 201) << upload->body;
    const int64_t id = json::parse(upload->body)["id"];
    json validated = testing::ValidateJob(*client, "/api/v1/imports/" + std::to_string(id));
    EXPECT_EQ(validated["state"], "validated") << validated.dump();
    return id;
  }

  json WaitUntilOver(const Server& server, int64_t id) {
    auto client = Client(server);
    json job;
    for (int i = 0; i < 1200; ++i) {
      job = json::parse(client->Get("/api/v1/imports/" + std::to_string(id))->body);
      if (job["state"] != "queued" && job["state"] != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return job;
  }

  TempDir dir_;
  std::string url_;
  std::vector<std::string> a_args_;  // more arguments of server A
  Server a_;
  Server b_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(TwoServersTest, AJobConfirmedOnBothServersAtOnceRunsOnce) {
  const int64_t before = UserCount();
  const int64_t job = ValidatedJob(a_, DemoAddresses(0, 300));
  const std::string path = "/api/v1/imports/" + std::to_string(job);
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  auto execute = [&](const Server& server) {
    auto client = Client(server);
    start.wait();
    return testing::ExecuteJob(*client, path, true)->status;
  };
  auto on_a = std::async(std::launch::async, execute, std::cref(a_));
  auto on_b = std::async(std::launch::async, execute, std::cref(b_));
  go.set_value();
  std::vector<int> statuses = {on_a.get(), on_b.get()};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{202, 409}));
  json done = WaitUntilOver(a_, job);
  EXPECT_EQ(done["state"], "done");
  EXPECT_EQ(done["counts"]["deleted"], 300) << done.dump();
  EXPECT_EQ(UserCount(), before - 300);
  auto audit = json::parse(Client(b_)->Get("/api/v1/audit")->body);
  EXPECT_EQ(audit["events"].size(), 1u);
}

TEST_F(TwoServersTest, TwoImportsOfOneOrganizationOnTwoServersRunOneAtATime) {
  const int64_t before = UserCount();
  const int64_t first = ValidatedJob(a_, DemoAddresses(0, 450));
  const int64_t second = ValidatedJob(b_, DemoAddresses(450, 450));
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  auto execute = [&](const Server& server, int64_t job) {
    auto client = Client(server);
    start.wait();
    return testing::ExecuteJob(*client, "/api/v1/imports/" + std::to_string(job), false);
  };
  auto on_a = std::async(std::launch::async, execute, std::cref(a_), first);
  auto on_b = std::async(std::launch::async, execute, std::cref(b_), second);
  go.set_value();
  // Both are accepted: the second waits in the queue until the first is done.
  ASSERT_EQ(on_a.get()->status, 202);
  ASSERT_EQ(on_b.get()->status, 202);
  auto client = Client(a_);
  int both_running = 0;
  for (int i = 0; i < 2400; ++i) {
    auto jobs = json::parse(client->Get("/api/v1/imports")->body);
    int running = 0;
    int over = 0;
    for (const json& job : jobs["jobs"]) {
      if (job["id"] != first && job["id"] != second) continue;
      if (job["state"] == "running") ++running;
      if (job["state"] == "done") ++over;
    }
    if (running > 1) ++both_running;
    if (over == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(both_running, 0);
  for (int64_t job : {first, second}) {
    json done = WaitUntilOver(a_, job);
    EXPECT_EQ(done["state"], "done");
    EXPECT_EQ(done["counts"]["deleted"], 450) << done.dump();
  }
  EXPECT_EQ(UserCount(), before - 900);
  auto audit = json::parse(Client(b_)->Get("/api/v1/audit")->body);
  EXPECT_EQ(audit["events"].size(), 2u);
}

// Server A only takes requests (--workers 0): what it queues, B runs.
class QueueingServerTest : public TwoServersTest {
 protected:
  void SetUp() override {
    a_args_ = {"--workers", "0"};
    TwoServersTest::SetUp();
  }
};

TEST_F(QueueingServerTest, AJobQueuedOnAServerThatRunsNoneIsRunByTheOther) {
  const int64_t before = UserCount();
  const int64_t job = ValidatedJob(a_, DemoAddresses(0, 500));
  auto answer = testing::ExecuteJob(*Client(a_), "/api/v1/imports/" + std::to_string(job), true);
  ASSERT_EQ(answer->status, 202) << answer->body;
  EXPECT_THAT(json::parse(answer->body)["state"].get<std::string>(),
              ::testing::AnyOf("queued", "running", "done"));
  json done = WaitUntilOver(a_, job);
  EXPECT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["counts"]["deleted"], 500);
  EXPECT_EQ(UserCount(), before - 500);
  const std::string ran_here = "import job " + std::to_string(job) + " runs here";
  EXPECT_THAT(ReadFile(ErrOf(b_)), ::testing::HasSubstr(ran_here));
  EXPECT_THAT(ReadFile(ErrOf(a_)), ::testing::Not(::testing::HasSubstr(ran_here)));
}

}  // namespace
}  // namespace roster::testing
