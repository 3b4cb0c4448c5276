// Files written by real third-party writers (tests/data/third_party/README.md), read through
// OpenWorkbook: every cell is asserted, with its type.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sheet/support/scratch_file.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {
namespace {

using testing::ReadAllRows;
using testing::TestDataPath;

// A cell as "text" with a type prefix: "T:" text, "N:" number, "B:" boolean, "D:" date,
// "" empty, so one string list states a whole row.
std::string Describe(const Cell& cell) {
  switch (cell.type) {
    case CellType::kEmpty: return "";
    case CellType::kText: return "T:" + cell.text;
    case CellType::kNumber: return "N:" + cell.text;
    case CellType::kBoolean: return "B:" + cell.text;
    case CellType::kDate: return "D:" + cell.text;
    case CellType::kError: return "E:" + cell.text;
  }
  return "?";
}

struct ExpectedRow {
  int64_t number;
  std::vector<std::string> cells;
  bool operator==(const ExpectedRow&) const = default;
};

void PrintTo(const ExpectedRow& row, std::ostream* os) {
  *os << row.number << ":";
  for (const std::string& cell : row.cells) *os << " [" << cell << "]";
}

struct ExpectedSheet {
  std::string name;
  bool visible;
  std::vector<ExpectedRow> rows;
};

struct FixtureCase {
  std::string label;
  std::string file;
  FileType type;
  std::vector<ExpectedSheet> sheets;
};

void PrintTo(const FixtureCase& test, std::ostream* os) { *os << test.file; }

const std::vector<ExpectedRow> kLibreOfficeStaff = {
    {1,
     {"T:Email", "T:First name", "T:Last name", "T:Employee ID", "T:Start date", "T:Salary",
      "T:Note"}},
    {2,
     {"T:j\u00fcrgen.m\u00fcller@example.com", "T:J\u00fcrgen", "T:M\u00fcller", "T:00123",
      "D:2024-03-01", "N:4250.5", "T:Stra\u00dfe 5"}},
    {3,
     {"T:\u00e9lodie.durand@example.com", "T:\u00c9lodie", "T:Durand", "T:00456", "D:2023-11-15",
      "N:3900", "T:Cr\u00e8me br\u00fbl\u00e9e"}},
    {5,
     {"T:ana.lopez@example.com", "T:Ana", "T:L\u00f3pez", "T:07890", "D:2022-01-31", "N:8150.5",
      "T:Ana L\u00f3pez"}},
};

// FreeXL 1.0.6 skips FORMULA records: the two formula cells of row 5 read empty in .xls.
std::vector<ExpectedRow> LibreOfficeStaffWithoutFormulas() {
  std::vector<ExpectedRow> rows = kLibreOfficeStaff;
  rows[3].cells.resize(5);
  return rows;
}

const std::vector<ExpectedRow> kJavaScriptStaff = {
    {1,
     {"T:Email", "T:First name", "T:Last name", "T:Employee ID", "T:Start date", "T:Salary",
      "T:Active", "T:Full name"}},
    {2,
     {"T:j\u00fcrgen.m\u00fcller@example.com", "T:J\u00fcrgen", "T:M\u00fcller", "T:00123",
      "D:2024-03-01", "N:4250.5", "B:TRUE", "T:J\u00fcrgen M\u00fcller"}},
    {4,
     {"T:\u00e9lodie.durand@example.com", "T:\u00c9lodie", "", "T:00456", "D:2023-11-15T12:00:00",
      "N:-0.25", "B:FALSE", "N:8501"}},
    {5, {"T:  spaces kept  "}},
};

const std::vector<ExpectedRow> kArchive = {{1, {"T:old@example.com"}}};

class ThirdPartyTest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(ThirdPartyTest, ReadsEveryCell) {
  const FixtureCase& test = GetParam();
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenWorkbook(TestDataPath("third_party/" + test.file));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), test.type);
  ASSERT_EQ((*reader)->sheets().size(), test.sheets.size());
  for (size_t s = 0; s < test.sheets.size(); ++s) {
    SCOPED_TRACE("sheet " + test.sheets[s].name);
    EXPECT_EQ((*reader)->sheets()[s].name, test.sheets[s].name);
    EXPECT_EQ((*reader)->sheets()[s].visible, test.sheets[s].visible);
    Result<std::vector<Row>> rows = ReadAllRows(**reader, s);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<ExpectedRow> actual;
    for (const Row& row : *rows) {
      ExpectedRow& described = actual.emplace_back(ExpectedRow{row.number, {}});
      for (const Cell& cell : row.cells) described.cells.push_back(Describe(cell));
    }
    EXPECT_EQ(actual, test.sheets[s].rows);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Writers, ThirdPartyTest,
    ::testing::Values(
        FixtureCase{"LibreOfficeXlsx",
                    "libreoffice_staff.xlsx",
                    FileType::kXlsx,
                    {{"Staff", true, kLibreOfficeStaff}, {"Archive", false, kArchive}}},
        FixtureCase{"LibreOfficeOds",
                    "libreoffice_staff.ods",
                    FileType::kOds,
                    {{"Staff", true, kLibreOfficeStaff}, {"Archive", false, kArchive}}},
        // Visibility comes from the BOUNDSHEET records, which FreeXL does not report.
        FixtureCase{
            "LibreOfficeXls",
            "libreoffice_staff.xls",
            FileType::kXls,
            {{"Staff", true, LibreOfficeStaffWithoutFormulas()}, {"Archive", false, kArchive}}},
        FixtureCase{"SheetJsSharedStrings",
                    "sheetjs_shared_strings.xlsx",
                    FileType::kXlsx,
                    {{"Staff", true, kJavaScriptStaff}, {"Archive", false, kArchive}}},
        FixtureCase{"SheetJsInline",
                    "sheetjs_inline.xlsx",
                    FileType::kXlsx,
                    {{"Staff", true, kJavaScriptStaff}, {"Archive", false, kArchive}}},
        FixtureCase{"ExcelJs",
                    "exceljs_staff.xlsx",
                    FileType::kXlsx,
                    {{"Staff", true, kJavaScriptStaff},
                     {"Zweite Tabelle", true, {{1, {"T:Stra\u00dfe", "N:1"}}}},
                     {"Archive", false, kArchive}}}),
    [](const ::testing::TestParamInfo<FixtureCase>& info) { return info.param.label; });

class EncryptedFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(EncryptedFixtureTest, IsRefusedAsPasswordProtected) {
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenWorkbook(TestDataPath("third_party/" + GetParam()));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(),
            GetParam() +
                ": this workbook is password-protected: remove the password in Excel and upload "
                "it again");
}

INSTANTIATE_TEST_SUITE_P(Writers, EncryptedFixtureTest,
                         ::testing::Values("libreoffice_encrypted.xls",
                                           "xlsx_populate_encrypted.xlsx"));

}  // namespace
}  // namespace roster::sheet
