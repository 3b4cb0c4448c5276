// `roster import` as scripts use it: the real binary on a real SQLite file, exact JSON shape,
// exit codes 0 (done or clean dry run), 2 (usage, unreadable file), 3 (unresolved errors).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using testing::RunOutput;

class ImportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        Roster({"org", "create", "acme", "--name", "Acme", "--domain", "acme.example"}).exit_code,
        0);
    for (const char* email : {"anna@acme.example", "bob@acme.example", "carla@acme.example"}) {
      ASSERT_EQ(Roster({"users", "add", "--org", "acme", "--email", email, "--first-name", "F",
                        "--last-name", "L"})
                    .exit_code,
                0);
    }
    ASSERT_EQ(
        Roster({"elearning", "create", "--org", "acme", "--email", "anna@acme.example"}).exit_code,
        0);
  }
  RunOutput Roster(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "sqlite:" + dir_.File("roster.db")});
    return testing::RunRoster(args);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  int64_t UserCount() {
    RunOutput listed = Roster({"users", "list", "--org", "acme", "--json"});
    return nlohmann::json::parse(listed.out)["total"].get<int64_t>();
  }

  testing::TempDir dir_;
};

TEST_F(ImportCliTest, DeletesWithYesAndPrintsTheJsonShape) {
  std::string file = Write("leavers.csv", "E-Mail\nanna@acme.example\nbob@acme.example\n\n");
  RunOutput run = Roster({"import", file, "--org", "acme", "--mode", "delete", "--yes",
                          "--delete-elearning", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["file"], "leavers.csv");
  EXPECT_EQ(json["sheet"], "leavers");
  EXPECT_EQ(json["header_row"], 1);
  EXPECT_EQ(json["mapping"], nlohmann::json({{"email", "E-Mail"}}));
  EXPECT_EQ(json["rows"], 2);
  EXPECT_EQ(json["issues"], nlohmann::json::array());
  EXPECT_EQ(json["to_delete"], 2);
  EXPECT_EQ(json["elearning_linked"], 1);
  EXPECT_EQ(json["deleted"], 2);
  EXPECT_EQ(json["elearning_deleted"], 1);
  EXPECT_EQ(json["state"], "done");
  EXPECT_TRUE(json["job_id"].is_number_integer());
  for (const char* key :
       {"empty_rows", "excluded_rows", "duplicates", "counts", "created", "updated", "unchanged"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(UserCount(), 1);
}

TEST_F(ImportCliTest, UnresolvedErrorsExitThreeAndChangeNothing) {
  std::string file = Write("leavers.csv", "Email\nanna@acme.example\nana@acme.example\nbob@\n");
  RunOutput run = Roster({"import", file, "--org", "acme", "--mode", "delete", "--yes", "--json"});
  EXPECT_EQ(run.exit_code, 3);
  nlohmann::json json = nlohmann::json::parse(run.out);
  ASSERT_EQ(json["issues"].size(), 2u);
  EXPECT_EQ(json["issues"][0]["row"], 3);
  EXPECT_EQ(json["issues"][0]["code"], "not_found");
  EXPECT_EQ(json["issues"][0]["suggestion"], "anna@acme.example");
  EXPECT_EQ(json["issues"][1]["code"], "invalid_email");
  EXPECT_EQ(json["counts"], nlohmann::json({{"invalid_email", 1}, {"not_found", 1}}));
  EXPECT_TRUE(json["job_id"].is_null());
  EXPECT_EQ(UserCount(), 3);
}

TEST_F(ImportCliTest, FixesAndExclusionsOnTheCommandLine) {
  std::string file = Write("leavers.csv", "Email\nanna@acme.example\nana@acme.example\nbob@\n");
  RunOutput run = Roster({"import", file, "--org", "acme", "--mode", "delete", "--yes", "--fix",
                          "3=carla@acme.example", "--exclude-row", "4"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_THAT(run.out, HasSubstr("deleted 2 users"));
  EXPECT_THAT(run.out, HasSubstr("1 e-learning accounts stay, unlinked"));
  EXPECT_EQ(UserCount(), 1);
}

TEST_F(ImportCliTest, DryRunAndMissingConfirmationChangeNothing) {
  std::string file = Write("leavers.csv", "Email\nanna@acme.example\n");
  RunOutput dry = Roster({"import", file, "--org", "acme", "--mode", "delete", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("users to delete: 1"));
  EXPECT_THAT(dry.out, HasSubstr("dry run: nothing was changed"));
  RunOutput unconfirmed = Roster({"import", file, "--org", "acme", "--mode", "delete"});
  EXPECT_EQ(unconfirmed.exit_code, 2);
  EXPECT_THAT(unconfirmed.err, HasSubstr("confirm with --yes"));
  EXPECT_EQ(UserCount(), 3);
}

TEST_F(ImportCliTest, BadInputsExitTwoWithTheirMessage) {
  std::string file = Write("leavers.csv", "Email\nanna@acme.example\n");
  std::string pdf = Write("staff.xlsx", "%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"import", file, "--org", "acme", "--mode", "purge"}, "--mode must be delete or add-update"},
      {{"import", file, "--org", "nope", "--mode", "delete"}, "no organization with the slug"},
      {{"import", dir_.File("missing.csv"), "--org", "acme", "--mode", "delete"}, "missing.csv"},
      {{"import", pdf, "--org", "acme", "--mode", "delete"}, "staff.xlsx"},
      {{"import", file, "--org", "acme", "--mode", "delete", "--fix", "x=a@b.c"},
       "--fix 'x=a@b.c'"},
      {{"import", file, "--org", "acme", "--mode", "delete", "--map", "Mail"}, "--map 'Mail'"},
      {{"import", file, "--org", "acme", "--mode", "delete", "--sheet", "Staff"},
       "no sheet 'Staff'"},
      {{"import", file, "--org", "acme", "--mode", "delete", "--report", "out.pdf"},
       ".xlsx or .csv"},
  };
  for (const Case& c : cases) {
    RunOutput run = Roster(c.args);
    EXPECT_EQ(run.exit_code, 2) << c.message << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr(c.message));
  }
  EXPECT_EQ(UserCount(), 3);
}

TEST_F(ImportCliTest, ReportListsEveryRowWithItsOutcome) {
  std::string file =
      Write("leavers.csv", "Email\nanna@acme.example\n\nanna@acme.example\n=cmd()@x\n");
  std::string report = dir_.File("report.csv");
  RunOutput run = Roster({"import", file, "--org", "acme", "--mode", "delete", "--yes",
                          "--exclude-errors", "--report", report});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "\xEF\xBB\xBFRow,Email,Outcome,Message\r\n"
            "2,anna@acme.example,deleted,\r\n"
            "3,,empty,\r\n"
            "4,anna@acme.example,duplicate,An earlier row names anna@acme.example already; the "
            "user is deleted once.\r\n"
            "5,'=cmd()@x,excluded,\"The part before the @ contains a parenthesis (\"\"=cmd()\"\"), "
            "which is not allowed in an email address. Remove it or check the address with the "
            "person.\"\r\n");
}

}  // namespace
}  // namespace roster
