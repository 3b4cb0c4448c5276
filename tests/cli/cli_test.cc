// The `roster` command line as scripts use it: real binary, real SQLite file, exact output
// shapes and exit codes (0 ok, 2 usage or bad input).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using testing::RunOutput;
using testing::TempDir;

class CliTest : public ::testing::Test {
 protected:
  RunOutput Roster(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "sqlite:" + dir_.File("roster.db")});
    return testing::RunRoster(args);
  }
  void CreateAcme() {
    RunOutput created = Roster({"org", "create", "acme", "--name", "Acme Corp", "--domain",
                                "acme.example", "--domain", "Bücher.example"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
  }
  nlohmann::json ListJson(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"users", "list", "--org", "acme", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOutput listed = Roster(args);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return nlohmann::json::parse(listed.out);
  }

  TempDir dir_;
};

TEST_F(CliTest, CreatesAndListsOrganizationsWithNormalizedDomains) {
  CreateAcme();
  RunOutput listed = Roster({"org", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  nlohmann::json json = nlohmann::json::parse(listed.out);
  ASSERT_EQ(json["organizations"].size(), 1u);
  EXPECT_EQ(json["organizations"][0]["slug"], "acme");
  EXPECT_EQ(json["organizations"][0]["domains"],
            nlohmann::json({"acme.example", "xn--bcher-kva.example"}));
}

TEST_F(CliTest, RefusesBadOrganizationInput) {
  RunOutput bad_slug = Roster({"org", "create", "Acme Corp", "--name", "A", "--domain", "a.io"});
  EXPECT_EQ(bad_slug.exit_code, 2);
  EXPECT_THAT(bad_slug.err, HasSubstr("the slug 'Acme Corp' is not valid"));
  RunOutput bad_domain =
      Roster({"org", "create", "acme", "--name", "A", "--domain", "not a domain"});
  EXPECT_EQ(bad_domain.exit_code, 2);
  EXPECT_THAT(bad_domain.err, HasSubstr("--domain 'not a domain' is not a valid domain"));
  CreateAcme();
  RunOutput twice = Roster({"org", "create", "acme", "--name", "A", "--domain", "a.io"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_THAT(twice.err, HasSubstr("the slug 'acme' exists already"));
}

TEST_F(CliTest, AddsAndListsUsers) {
  CreateAcme();
  RunOutput added = Roster({"users", "add", "--org", "acme", "--email",
                            " Anna.Schmidt@ACME.example ", "--first-name", "Anna", "--last-name",
                            "Schmidt", "--language", "DE", "--group", "Finance"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  nlohmann::json json = ListJson();
  EXPECT_EQ(json["total"], 1);
  const nlohmann::json& user = json["users"][0];
  EXPECT_EQ(user["email"], "Anna.Schmidt@ACME.example");
  EXPECT_EQ(user["first_name"], "Anna");
  EXPECT_EQ(user["language"], "de");
  EXPECT_EQ(user["gender"], "other");
  EXPECT_EQ(user["address_type"], "single");
  EXPECT_TRUE(user["elearning_account_id"].is_null());
}

TEST_F(CliTest, RefusesBadUsersWithTheFieldNamed) {
  CreateAcme();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"--email", "anna.acme.example"}, "email: "},
      {{"--email", "anna@other.example"}, "email: The domain other.example is not one of"},
      {{"--email", "anna@acme.example", "--language", "german"}, "language: The language 'german'"},
      {{"--email", "anna@acme.example", "--gender", "x"}, "gender: The gender 'x' is unknown"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"users",        "add", "--org",       "acme",
                                  "--first-name", "A",   "--last-name", "S"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    RunOutput result = Roster(args);
    EXPECT_EQ(result.exit_code, 2) << c.message;
    EXPECT_THAT(result.err, HasSubstr(c.message));
  }
  EXPECT_EQ(ListJson()["total"], 0);
}

TEST_F(CliTest, UnknownOrganizationExitsTwo) {
  RunOutput result = Roster({"users", "list", "--org", "nope"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("no organization with the slug 'nope'"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Roster({}).exit_code, 2);
  EXPECT_EQ(Roster({"frobnicate"}).exit_code, 2);
  RunOutput missing = Roster({"users", "list"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--org"));
  EXPECT_EQ(Roster({"users", "list", "--org", "acme", "--sort", "shoe_size"}).exit_code, 2);
}

TEST_F(CliTest, ElearningAccountLinksToTheUser) {
  CreateAcme();
  ASSERT_EQ(Roster({"users", "add", "--org", "acme", "--email", "anna@acme.example", "--first-name",
                    "Anna", "--last-name", "Schmidt"})
                .exit_code,
            0);
  RunOutput created =
      Roster({"elearning", "create", "--org", "acme", "--email", "ANNA@acme.example"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("linked to user"));
  EXPECT_FALSE(ListJson()["users"][0]["elearning_account_id"].is_null());

  RunOutput unlinked =
      Roster({"elearning", "create", "--org", "acme", "--email", "bob@acme.example"});
  EXPECT_EQ(unlinked.exit_code, 0);
  EXPECT_THAT(unlinked.out, HasSubstr("not linked"));
  RunOutput invalid = Roster({"elearning", "create", "--org", "acme", "--email", "bob@"});
  EXPECT_EQ(invalid.exit_code, 2);
}

TEST_F(CliTest, DemoCreatesAThousandInternationalUsersOnce) {
  RunOutput demo = Roster({"demo"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_THAT(demo.out, HasSubstr("1,000 users"));
  std::vector<std::string> args{"users", "list", "--org", "demo", "--json", "--limit", "1000"};
  RunOutput listed = Roster(args);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  nlohmann::json json = nlohmann::json::parse(listed.out);
  EXPECT_EQ(json["total"], 1000);
  int linked = 0;
  bool has_accent = false;
  for (const auto& user : json["users"]) {
    if (!user["elearning_account_id"].is_null()) ++linked;
    std::string name = user["first_name"].get<std::string>() + user["last_name"].get<std::string>();
    for (unsigned char c : name) has_accent |= c >= 0x80;
  }
  EXPECT_GT(linked, 330);  // 40 % of 1,000, drawn at random with a fixed seed
  EXPECT_LT(linked, 470);
  EXPECT_TRUE(has_accent);

  RunOutput again = Roster({"demo"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("exists already"));
  EXPECT_EQ(nlohmann::json::parse(Roster(args).out)["total"], 1000);
}

TEST_F(CliTest, DatabaseFromTheEnvironment) {
  std::string db = "sqlite:" + dir_.File("env.db");
  RunOutput demo = testing::RunRoster({"demo"}, {"ROSTER_DB=" + db});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  RunOutput listed = testing::RunRoster({"--db", db, "users", "list", "--org", "demo"});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_THAT(listed.out, HasSubstr("of 1,000"));
}

}  // namespace
}  // namespace roster
