// `roster users export` as admins use it: the real binary exports an organization's users
// with the template's columns; the file reads back through OpenWorkbook, neutralizes cells a
// spreadsheet would run as formulas, and imports back in add-update mode without changes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/attribute.h"
#include "import/column_mapping.h"
#include "sheet/workbook_reader.h"
#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using testing::RunOutput;
using ::testing::StartsWith;
using Texts = std::vector<std::vector<std::string>>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every row of the first sheet of `path` as cell texts.
Texts ReadBack(const std::string& path) {
  Result<std::unique_ptr<sheet::WorkbookReader>> reader = sheet::OpenWorkbook(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  Texts rows;
  Status read = (*reader)->ReadRows(0, [&](const sheet::Row& row) {
    std::vector<std::string> texts;
    for (const sheet::Cell& cell : row.cells) texts.push_back(cell.text);
    rows.push_back(std::move(texts));
    return true;
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
  return rows;
}

std::vector<std::string> TemplateHeaders() {
  std::vector<std::string> headers;
  for (const AttributeSpec& spec : AttributeTable()) headers.emplace_back(spec.template_header);
  return headers;
}

class ExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        Roster({"org", "create", "acme", "--name", "Acme", "--domain", "acme.example"}).exit_code,
        0);
  }
  RunOutput Roster(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "sqlite:" + dir_.File("roster.db")});
    return testing::RunRoster(args);
  }
  // Adds a user and returns its Roster ID.
  int64_t AddUser(std::vector<std::string> args) {
    std::vector<std::string> all{"users", "add", "--org", "acme", "--json"};
    all.insert(all.end(), args.begin(), args.end());
    RunOutput added = Roster(all);
    EXPECT_EQ(added.exit_code, 0) << added.err;
    if (added.exit_code != 0) return 0;
    return nlohmann::json::parse(added.out)["id"].get<int64_t>();
  }
  void AddStaff() {
    anna_ = AddUser({"--email",           "anna@acme.example",
                     "--first-name",      "Anna",
                     "--last-name",       "Schmidt",
                     "--gender",          "female",
                     "--academic-degree", "Dr.",
                     "--language",        "de",
                     "--address-type",    "single",
                     "--manager-email",   "boss@acme.example",
                     "--department",      "Finance",
                     "--location",        "Berlin, Mitte",
                     "--employee-id",     "00123",
                     "--group",           "Sales",
                     "--group",           "Finance"});
    bob_ = AddUser({"--email", "bob@acme.example", "--first-name", "Bob", "--last-name",
                    "\"The\" Builder", "--address-type", "group"});
    carla_ = AddUser({"--email", "carla@acme.example", "--first-name", "Carla", "--last-name",
                      "G\u00f3mez", "--language", "es"});
  }
  RunOutput Export(const std::string& path) {
    return Roster({"users", "export", "--org", "acme", "--output", path});
  }
  // The JSON of an add-update dry run of `path`.
  nlohmann::json DryRun(const std::string& path) {
    RunOutput run =
        Roster({"import", path, "--org", "acme", "--mode", "add-update", "--dry-run", "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
    return run.out.empty() ? nlohmann::json() : nlohmann::json::parse(run.out);
  }

  testing::TempDir dir_;
  int64_t anna_ = 0, bob_ = 0, carla_ = 0;
};

TEST_F(ExportCliTest, XlsxHasTheTemplateColumnsAndEveryUser) {
  AddStaff();
  const std::string path = dir_.File("users.xlsx");
  RunOutput run = Export(path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("exported 3 users of Acme to " + path));

  Texts rows = ReadBack(path);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], TemplateHeaders());
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{std::to_string(anna_), "anna@acme.example", "Anna", "Schmidt",
                                      "female", "Dr.", "de", "single", "boss@acme.example",
                                      "Finance", "Berlin, Mitte", "00123", "Finance, Sales"}));
  // Trailing empty cells are not delivered; the defaults are exported as stored.
  EXPECT_EQ(rows[2], (std::vector<std::string>{std::to_string(bob_), "bob@acme.example", "Bob",
                                               "\"The\" Builder", "other", "", "en", "group"}));
  EXPECT_EQ(rows[3][0], std::to_string(carla_));
  EXPECT_EQ(rows[3][5], "");
  EXPECT_EQ(rows[3][6], "es");

  import::ColumnMapping mapping = import::ColumnMapping::Automatic(rows[0]);
  EXPECT_TRUE(mapping.FromTemplate());
  EXPECT_EQ(mapping.ColumnOf(Attribute::kRosterId), 0);
}

TEST_F(ExportCliTest, CsvIsUtf8WithBomQuotedAndCrlf) {
  AddStaff();
  const std::string path = dir_.File("users.csv");
  ASSERT_EQ(Export(path).exit_code, 0);
  const std::string bytes = ReadFile(path);
  EXPECT_THAT(bytes, StartsWith("\xEF\xBB\xBFRoster ID,Email,First name,Last name,Gender,"
                                "Academic degree,Language,Address type,Manager email,Department,"
                                "Location,Employee ID,Groups\r\n"));
  EXPECT_THAT(bytes, HasSubstr(std::to_string(anna_) +
                               ",anna@acme.example,Anna,Schmidt,female,Dr.,de,single,"
                               "boss@acme.example,Finance,\"Berlin, Mitte\",00123,"
                               "\"Finance, Sales\"\r\n"));
  EXPECT_THAT(bytes, HasSubstr(",Bob,\"\"\"The\"\" Builder\",other,,en,group,,,,,\r\n"));
  EXPECT_THAT(bytes, HasSubstr("G\u00f3mez"));

  Texts rows = ReadBack(path);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], TemplateHeaders());
  EXPECT_EQ(rows[2][3], "\"The\" Builder");
}

TEST_F(ExportCliTest, FormulaLookingCellsAreNeutralized) {
  AddUser({"--email", "eve@acme.example", "--first-name", "Eve", "--last-name=-Minus",
           "--department", "=1+1", "--location", "@SUM(A1)", "--employee-id", "+49"});
  for (const char* name : {"users.xlsx", "users.csv"}) {
    const std::string path = dir_.File(name);
    ASSERT_EQ(Export(path).exit_code, 0) << name;
    Texts rows = ReadBack(path);
    ASSERT_EQ(rows.size(), 2u) << name;
    EXPECT_EQ(rows[1][3], "'-Minus") << name;
    EXPECT_EQ(rows[1][9], "'=1+1") << name;
    EXPECT_EQ(rows[1][10], "'@SUM(A1)") << name;
    EXPECT_EQ(rows[1][11], "'+49") << name;
    // The guard does not creep into the data: the export imports back unchanged.
    nlohmann::json json = DryRun(path);
    EXPECT_EQ(json["unchanged"], 1) << name;
    EXPECT_EQ(json["issues"], nlohmann::json::array()) << name;
  }
}

TEST_F(ExportCliTest, ExportImportsBackUnchanged) {
  AddStaff();
  for (const char* name : {"users.xlsx", "users.csv"}) {
    const std::string path = dir_.File(name);
    ASSERT_EQ(Export(path).exit_code, 0) << name;
    nlohmann::json json = DryRun(path);
    EXPECT_EQ(json["mapping"]["id"], "Roster ID") << name;
    EXPECT_EQ(json["rows"], 3) << name;
    EXPECT_EQ(json["unchanged"], 3) << name;
    EXPECT_EQ(json["issues"], nlohmann::json::array()) << name;
  }
}

TEST_F(ExportCliTest, EditedExportUpdatesTheUserByRosterId) {
  AddStaff();
  const std::string path = dir_.File("users.csv");
  ASSERT_EQ(Export(path).exit_code, 0);
  std::string text = ReadFile(path);
  const std::string old_row = ",bob@acme.example,Bob,";
  ASSERT_NE(text.find(old_row), std::string::npos);
  text.replace(text.find(old_row), old_row.size(), ",robert@acme.example,Robert,");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  RunOutput run =
      Roster({"import", path, "--org", "acme", "--mode", "add-update", "--yes", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["updated"], 1);
  EXPECT_EQ(json["created"], 0);
  EXPECT_EQ(json["unchanged"], 2);
  RunOutput listed = Roster({"users", "list", "--org", "acme", "--search", "robert", "--json"});
  nlohmann::json users = nlohmann::json::parse(listed.out)["users"];
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["id"], bob_);
}

TEST_F(ExportCliTest, PagesThroughMoreUsersThanOnePage) {
  // 5,001 users: one more than a page of the export.
  std::string csv = "Email,First name,Last name\n";
  for (int i = 0; i < 5'001; ++i) {
    csv += "user" + std::to_string(i) + "@acme.example,First,Last\n";
  }
  const std::string input = dir_.File("many.csv");
  std::ofstream(input, std::ios::binary) << csv;
  RunOutput imported =
      Roster({"import", input, "--org", "acme", "--mode", "add-update", "--yes", "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ASSERT_EQ(nlohmann::json::parse(imported.out)["created"], 5'001);

  const std::string path = dir_.File("many.xlsx");
  RunOutput run = Export(path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("exported 5,001 users"));
  Texts rows = ReadBack(path);
  ASSERT_EQ(rows.size(), 5'002u);
  std::set<std::string> ids, emails;
  for (size_t i = 1; i < rows.size(); ++i) {
    ids.insert(rows[i][0]);
    emails.insert(rows[i][1]);
  }
  EXPECT_EQ(ids.size(), 5'001u);
  EXPECT_EQ(emails.size(), 5'001u);
  EXPECT_EQ(std::stoll(rows[1][0]) + 5'000, std::stoll(rows.back()[0]));  // in id order
}

TEST_F(ExportCliTest, EmptyOrganizationExportsTheHeader) {
  const std::string path = dir_.File("none.xlsx");
  RunOutput run = Export(path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("exported 0 users"));
  EXPECT_EQ(ReadBack(path), Texts{TemplateHeaders()});
}

TEST_F(ExportCliTest, RefusesBadOutputsAndUnknownOrganizations) {
  RunOutput ods = Export(dir_.File("users.ods"));
  EXPECT_EQ(ods.exit_code, 2);
  EXPECT_THAT(ods.err, HasSubstr("--output '" + dir_.File("users.ods") +
                                 "' must name a .xlsx or .csv file"));
  RunOutput unknown =
      Roster({"users", "export", "--org", "nope", "--output", dir_.File("users.csv")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no organization with the slug 'nope'"));
  RunOutput nowhere = Export(dir_.File("no/such/dir/users.csv"));
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_THAT(nowhere.err, HasSubstr("no/such/dir/users.csv cannot be written"));
  RunOutput missing = Roster({"users", "export", "--org", "acme"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--output"));
}

}  // namespace
}  // namespace roster
