// `roster inspect` as admins and scripts use it: the real binary on CSV files of several
// dialects, third-party workbooks with hidden sheets, and files that are not spreadsheets.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/run_roster.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using testing::RunOutput;
using Json = nlohmann::json;

// A committed fixture under tests/data (CTest runs tests in the source root).
std::string TestData(const std::string& relative) {
  const char* source = std::getenv("ROSTER_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/tests/data/" + relative;
}

class InspectCliTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  Json InspectJson(std::vector<std::string> args) {
    args.insert(args.begin(), "inspect");
    args.push_back("--json");
    RunOutput run = testing::RunRoster(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.exit_code == 0 ? Json::parse(run.out) : Json();
  }

  testing::TempDir dir_;
};

TEST_F(InspectCliTest, CsvShowsEncodingDelimiterAndRows) {
  // Windows-1252: \xfc is u-umlaut, \xe9 e-acute.
  std::string path = Write("staff.csv",
                           "Email;Vorname;Stadt\r\n"
                           "j\xfcrgen@example.com;J\xfcrgen;M\xfcnchen\r\n"
                           "\r\n"
                           "elodie@example.com;\xc9lodie;Paris;extra\r\n");
  Json json = InspectJson({path});
  EXPECT_EQ(json["type"], "csv");
  EXPECT_EQ(json["encoding"], "Windows-1252");
  EXPECT_EQ(json["delimiter"], ";");
  EXPECT_EQ(json["sheets"], Json::parse(R"([{"name": "staff", "visible": true}])"));
  EXPECT_EQ(json["sheet"], "staff");
  EXPECT_EQ(json["rows"], 4);
  EXPECT_EQ(json["columns"], 4);
  EXPECT_EQ(json["head"], Json({{"Email", "Vorname", "Stadt"},
                                {"j\u00fcrgen@example.com", "J\u00fcrgen", "M\u00fcnchen"},
                                Json::array(),
                                {"elodie@example.com", "\u00c9lodie", "Paris", "extra"}}));
}

TEST_F(InspectCliTest, WorkbookListsHiddenSheetsAndChoosesTheFirstVisibleOne) {
  Json json = InspectJson({TestData("third_party/libreoffice_staff.xlsx")});
  EXPECT_EQ(json["type"], "xlsx");
  EXPECT_EQ(json["sheets"], Json::parse(R"([{"name": "Staff", "visible": true},
                                            {"name": "Archive", "visible": false}])"));
  EXPECT_EQ(json["sheet"], "Staff");
  EXPECT_TRUE(json["encoding"].is_null());
  EXPECT_TRUE(json["delimiter"].is_null());
  EXPECT_EQ(json["rows"], 5);
  EXPECT_EQ(json["columns"], 7);
  ASSERT_EQ(json["head"].size(), 5u);
  EXPECT_EQ(json["head"][0][0], "Email");
  EXPECT_EQ(json["head"][1][3], "00123");  // text stays text
  EXPECT_EQ(json["head"][1][4], "2024-03-01");
  EXPECT_EQ(json["head"][3], Json::array());  // row 4 is empty
  EXPECT_EQ(json["head"][4][6], "Ana L\u00f3pez");
}

TEST_F(InspectCliTest, HeadLimitsTheRowsShown) {
  std::string file = TestData("third_party/exceljs_staff.xlsx");
  Json two = InspectJson({file, "--head", "2"});
  EXPECT_EQ(two["head"].size(), 2u);
  EXPECT_EQ(two["rows"], 5);  // the whole sheet is still counted
  Json none = InspectJson({file, "--head", "0"});
  EXPECT_EQ(none["head"], Json::array());
  RunOutput negative = testing::RunRoster({"inspect", file, "--head", "-1"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_THAT(negative.err, HasSubstr("--head must be 0 to 10000"));
}

TEST_F(InspectCliTest, SheetByNameOrNumber) {
  std::string file = TestData("third_party/exceljs_staff.xlsx");
  Json by_name = InspectJson({file, "--sheet", "Archive"});
  EXPECT_EQ(by_name["sheet"], "Archive");
  EXPECT_EQ(by_name["head"], Json::array({Json::array({"old@example.com"})}));
  EXPECT_EQ(by_name["rows"], 1);
  EXPECT_EQ(by_name["columns"], 1);
  Json by_number = InspectJson({file, "--sheet", "2"});
  EXPECT_EQ(by_number["sheet"], "Zweite Tabelle");
  EXPECT_EQ(by_number["head"], Json::array({Json::array({"Stra\u00dfe", "1"})}));
  Json folded = InspectJson({file, "--sheet", "zweite tabelle"});
  EXPECT_EQ(folded["sheet"], "Zweite Tabelle");
}

TEST_F(InspectCliTest, UnknownSheetExitsTwoAndListsTheSheets) {
  RunOutput run = testing::RunRoster(
      {"inspect", TestData("third_party/libreoffice_staff.xlsx"), "--sheet", "Nope"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("libreoffice_staff.xlsx: the workbook has no sheet 'Nope'; its "
                                 "sheets are 'Staff', 'Archive'"));
  EXPECT_EQ(run.out, "");
}

TEST_F(InspectCliTest, FilesThatAreNotSpreadsheetsExitTwoWithTheReadersMessage) {
  std::string pdf = Write("users.xlsx", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n");
  RunOutput run = testing::RunRoster({"inspect", pdf});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("users.xlsx"));
  EXPECT_THAT(run.err, HasSubstr("PDF"));
  EXPECT_EQ(run.out, "");

  RunOutput encrypted =
      testing::RunRoster({"inspect", TestData("third_party/xlsx_populate_encrypted.xlsx")});
  EXPECT_EQ(encrypted.exit_code, 2);
  EXPECT_THAT(encrypted.err, HasSubstr("xlsx_populate_encrypted.xlsx"));

  RunOutput empty = testing::RunRoster({"inspect", Write("empty.csv", "")});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_THAT(empty.err, HasSubstr("empty.csv: the file is empty"));

  RunOutput missing = testing::RunRoster({"inspect", dir_.File("nowhere.csv")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nowhere.csv"));
}

TEST_F(InspectCliTest, FileWithoutDataHasNoChosenSheet) {
  Json json = InspectJson({Write("blank.csv", "\r\n\r\n")});
  EXPECT_EQ(json["type"], "csv");
  EXPECT_TRUE(json["sheet"].is_null());
  EXPECT_EQ(json["rows"], 0);
  EXPECT_EQ(json["columns"], 0);
  EXPECT_EQ(json["head"], Json::array());
}

TEST_F(InspectCliTest, PrintsASummaryForPeople) {
  std::string path = Write("staff.csv", "Email\tName\nanna@example.com\tAnna\n");
  RunOutput run = testing::RunRoster({"inspect", path});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("staff.csv: csv, UTF-8, delimiter tab\n"));
  EXPECT_THAT(run.out, HasSubstr("sheet 'staff': 2 rows, 2 columns\n"));
  EXPECT_THAT(run.out, HasSubstr("  1\tEmail\tName\n  2\tanna@example.com\tAnna\n"));

  RunOutput workbook =
      testing::RunRoster({"inspect", TestData("third_party/libreoffice_staff.xlsx")});
  ASSERT_EQ(workbook.exit_code, 0) << workbook.err;
  EXPECT_THAT(workbook.out, HasSubstr("  2  Archive  (hidden)\n"));
  EXPECT_THAT(workbook.out, HasSubstr("  4\t(empty)\n"));
}

}  // namespace
}  // namespace roster
