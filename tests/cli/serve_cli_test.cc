// `roster serve` as an operator runs it: the first start creates each organization's owner
// and prints the password once, the address it listens on comes first, and SIGTERM stops it
// cleanly. `roster admin` adds admins who can then sign in.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ServeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = "sqlite:" + dir_.File("roster.db");
    ASSERT_EQ(RunRoster({"--db", db_, "org", "create", "acme", "--name", "Acme", "--domain",
                         "acme.example"})
                  .exit_code,
              0);
  }

  // Starts the server; returns its port (0 when it did not say one within 20 s).
  int Start(const std::vector<std::string>& env = {}) {
    out_ = dir_.File("out-" + std::to_string(++starts_));
    err_ = dir_.File("err-" + std::to_string(starts_));
    pid_ = StartRoster(
        {"--db", db_, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir_.File("files")}, out_,
        err_, env);
    const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
    for (int i = 0; i < 400; ++i) {
      std::smatch match;
      const std::string text = ReadFile(out_);
      if (std::regex_search(text, match, listening)) return std::stoi(match[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  int SignIn(int port, const std::string& email, const std::string& password) {
    httplib::Client client("127.0.0.1", port);
    auto response = client.Post("/api/v1/session",
                                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
                                "application/json");
    return response ? response->status : -1;
  }

  TempDir dir_;
  std::string db_;
  std::string out_;
  std::string err_;
  int pid_ = 0;
  int starts_ = 0;
};

TEST_F(ServeCliTest, CreatesTheOwnerOnceAndStopsCleanlyOnSigterm) {
  int port = Start({"ROSTER_ADMIN_PASSWORD=first-start-password"});
  ASSERT_GT(port, 0) << ReadFile(err_);
  EXPECT_THAT(ReadFile(out_), HasSubstr("created the owner owner@acme.example"));
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(SignIn(port, "owner@acme.example", "first-start-password"), 200);
  EXPECT_EQ(Stop(), 0);
  const std::string log = ReadFile(err_);
  EXPECT_THAT(log, HasSubstr("GET /healthz 200"));
  EXPECT_THAT(log, HasSubstr("stopped"));

  port = Start();
  ASSERT_GT(port, 0);
  EXPECT_THAT(ReadFile(out_), Not(HasSubstr("created the owner")));
  EXPECT_EQ(SignIn(port, "owner@acme.example", "first-start-password"), 200);
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServeCliTest, TheLogNamesPathsButNeverSearches) {
  const int port = Start({"ROSTER_ADMIN_PASSWORD=first-start-password"});
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  client.Get("/api/v1/users?search=anna.schmidt");
  EXPECT_EQ(Stop(), 0);
  const std::string log = ReadFile(err_);
  EXPECT_THAT(log, HasSubstr("GET /api/v1/users 401"));
  EXPECT_THAT(log, Not(HasSubstr("anna")));
}

TEST_F(ServeCliTest, AdminCreateAddsAnAdminWhoCanSignIn) {
  RunOutput created = RunRoster({"--db", db_, "admin", "create", "--org", "acme", "--email",
                                 "Viewer@Acme.example", "--role", "viewer"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch password;
  ASSERT_TRUE(std::regex_search(created.out, password, std::regex("password (\\S+) ")));
  RunOutput listed = RunRoster({"--db", db_, "admin", "list", "--org", "acme"});
  EXPECT_THAT(listed.out, HasSubstr("viewer\tviewer@acme.example"));
  RunOutput again = RunRoster(
      {"--db", db_, "admin", "create", "--org", "acme", "--email", "viewer@acme.example"});
  EXPECT_EQ(again.exit_code, 2);
  RunOutput weak =
      RunRoster({"--db", db_, "admin", "create", "--org", "acme", "--email", "x@acme.example"},
                {"ROSTER_ADMIN_PASSWORD=short"});
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_THAT(weak.err, HasSubstr("ROSTER_ADMIN_PASSWORD"));

  const int port = Start({"ROSTER_ADMIN_PASSWORD=first-start-password"});
  ASSERT_GT(port, 0);
  EXPECT_EQ(SignIn(port, "viewer@acme.example", password[1]), 200);
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServeCliTest, ResetPasswordReplacesTheOldOne) {
  ASSERT_EQ(RunRoster({"--db", db_, "admin", "create", "--org", "acme", "--email",
                       "boss@acme.example", "--role", "owner"},
                      {"ROSTER_ADMIN_PASSWORD=the-old-password"})
                .exit_code,
            0);
  RunOutput reset =
      RunRoster({"--db", db_, "admin", "reset-password", "--email", "Boss@acme.example"},
                {"ROSTER_ADMIN_PASSWORD=the-new-password"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_THAT(reset.out, Not(HasSubstr("the-new-password")));
  EXPECT_THAT(RunRoster({"--db", db_, "admin", "list", "--org", "acme"}).out,
              HasSubstr("owner\tboss@acme.example"));
  RunOutput unknown =
      RunRoster({"--db", db_, "admin", "reset-password", "--email", "nobody@acme.example"});
  EXPECT_EQ(unknown.exit_code, 2);

  const int port = Start();
  ASSERT_GT(port, 0);
  EXPECT_EQ(SignIn(port, "boss@acme.example", "the-old-password"), 401);
  EXPECT_EQ(SignIn(port, "boss@acme.example", "the-new-password"), 200);
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServeCliTest, RefusesABadListenAddress) {
  RunOutput bad = RunRoster({"--db", db_, "serve", "--listen", "localhost"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--listen 'localhost'"));
}

}  // namespace
}  // namespace roster::testing
