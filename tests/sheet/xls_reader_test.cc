#include "sheet/xls_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "sheet/advice.h"
#include "sheet/support/compound_file_builder.h"
#include "sheet/support/scratch_file.h"
#include "support/hostile_files.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadAllRows;
using testing::RowNumbers;
using testing::TestDataPath;
using Texts = std::vector<std::vector<std::string>>;

const std::string kStaff = "third_party/libreoffice_staff.xls";

Result<std::unique_ptr<WorkbookReader>> OpenFixture(const std::string& file,
                                                    const Limits& limits = Limits()) {
  return OpenXls(TestDataPath(file), limits, "staff.xls");
}

Status ReadError(const Limits& limits) {
  Result<std::unique_ptr<WorkbookReader>> reader = OpenFixture(kStaff, limits);
  if (!reader.ok()) return reader.status();
  Result<std::vector<Row>> rows = ReadAllRows(**reader);
  EXPECT_FALSE(rows.ok());
  return rows.status();
}

TEST(XlsReaderTest, ReadsSheetsAndTypedCells) {
  Result<std::unique_ptr<WorkbookReader>> reader = OpenFixture(kStaff);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), FileType::kXls);
  EXPECT_FALSE((*reader)->text_format().has_value());
  ASSERT_EQ((*reader)->sheets().size(), 2u);
  EXPECT_EQ((*reader)->sheets()[0].name, "Staff");
  EXPECT_EQ((*reader)->sheets()[1].name, "Archive");
  EXPECT_TRUE((*reader)->sheets()[0].visible);
  EXPECT_FALSE((*reader)->sheets()[1].visible);  // from the BOUNDSHEET record, not FreeXL
  EXPECT_TRUE((*reader)->KnowsSheetVisibility());

  Result<std::vector<Row>> rows = ReadAllRows(**reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(1, 2, 3, 5));  // row 4 is empty
  EXPECT_EQ(
      CellTexts(*rows)[1],
      (std::vector<std::string>{"j\u00fcrgen.m\u00fcller@example.com", "J\u00fcrgen", "M\u00fcller",
                                "00123", "2024-03-01", "4250.5", "Stra\u00dfe 5"}));
  const std::vector<Cell>& cells = (*rows)[1].cells;
  EXPECT_EQ(cells[3].type, CellType::kText);  // "00123" stays text
  EXPECT_EQ(cells[4].type, CellType::kDate);
  EXPECT_EQ(cells[5].type, CellType::kNumber);
  EXPECT_EQ((*rows)[2].cells[5].text, "3900");

  Result<std::vector<Row>> archive = ReadAllRows(**reader, 1);
  ASSERT_TRUE(archive.ok());
  EXPECT_EQ(CellTexts(*archive), (Texts{{"old@example.com"}}));

  Status no_sheet = (*reader)->ReadRows(2, [](const Row&) { return true; });
  EXPECT_EQ(no_sheet.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(no_sheet.message(), HasSubstr("no sheet 3"));
}

TEST(XlsReaderTest, ReadsHiddenSheetsOfAGoldenWorkbook) {
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenFixture("golden/delete_second_sheet.libreoffice.xls");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE((*reader)->KnowsSheetVisibility());
  std::vector<std::pair<std::string, bool>> sheets;
  for (const SheetInfo& info : (*reader)->sheets()) sheets.emplace_back(info.name, info.visible);
  EXPECT_EQ(sheets, (std::vector<std::pair<std::string, bool>>{
                        {"Hinweise", true}, {"Archiv", false}, {"Austritte", true}}));
}

std::string FixtureBytes() {
  std::ifstream file(TestDataPath(kStaff), std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(XlsReaderTest, VisibilityIsUnknownWhenTheContainerCannotBeFollowed) {
  // The root entry loses its child: the Workbook stream is out of the directory tree, which
  // FreeXL does not follow (it reads the stream anyway), but this reader's own reading does.
  std::string bytes = FixtureBytes();
  ASSERT_EQ(bytes.substr(48, 4), std::string("\x0A\0\0\0", 4));  // the directory: sector 10
  const size_t root = 11 * 512;                                  // the root entry comes first
  ASSERT_EQ(bytes.substr(root, 8), std::string("R\0o\0o\0t\0", 8));
  bytes.replace(root + 76, 4, std::string(4, '\xFF'));
  const std::string path = testing::WriteScratchFile("orphan.xls", bytes);
  Result<std::unique_ptr<WorkbookReader>> reader = OpenXls(path, Limits(), "orphan.xls");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_FALSE((*reader)->KnowsSheetVisibility());
  ASSERT_EQ((*reader)->sheets().size(), 2u);
  EXPECT_TRUE((*reader)->sheets()[1].visible);  // unknown reads visible
}

TEST(XlsReaderTest, ATruncatedWorkbookNeverCrashes) {
  // Cut anywhere, the file is either refused as damaged or read with visibility unknown or
  // known; the sanitizers watch the rest.
  const std::string bytes = FixtureBytes();
  for (size_t size = 512; size < bytes.size(); size += 256) {
    SCOPED_TRACE(size);
    const std::string path = testing::WriteScratchFile("cut.xls", bytes.substr(0, size));
    Result<std::unique_ptr<WorkbookReader>> reader = OpenXls(path, Limits(), "cut.xls");
    if (!reader.ok()) {
      EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
      continue;
    }
    if (!(*reader)->KnowsSheetVisibility()) {
      for (const SheetInfo& info : (*reader)->sheets()) EXPECT_TRUE(info.visible);
    }
  }
}

TEST(XlsReaderTest, StopsWhenTheCallbackSaysSo) {
  Result<std::unique_ptr<WorkbookReader>> reader = OpenFixture(kStaff);
  ASSERT_TRUE(reader.ok());
  int calls = 0;
  ASSERT_TRUE((*reader)->ReadRows(0, [&](const Row&) { return ++calls < 2; }).ok());
  EXPECT_EQ(calls, 2);
}

TEST(XlsReaderTest, EnforcesTheLimits) {
  Limits rows;
  rows.max_rows = 3;  // the fixture has a header and 4 data rows
  Status status = ReadError(rows);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "staff.xls: sheet \"Staff\" has more than 3 data rows below its header (the limit)" +
                std::string(kSplitOrTrim));
  rows.max_rows = 4;
  Result<std::unique_ptr<WorkbookReader>> reader = OpenFixture(kStaff, rows);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE(ReadAllRows(**reader).ok());

  Limits columns;
  columns.max_columns = 6;
  status = ReadError(columns);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "staff.xls: row 1 of sheet \"Staff\" has more than 6 columns (the limit)" +
                std::string(kSplitOrTrim));

  Limits cell;
  cell.max_cell_chars = 10;
  status = ReadError(cell);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "staff.xls: the cell in row 1, column D of sheet \"Staff\" is longer than 10 "
            "characters (the limit)" +
                std::string(kShorten));
}

TEST(XlsReaderTest, RefusesAPasswordProtectedWorkbook) {
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenFixture("third_party/libreoffice_encrypted.xls");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(),
            "staff.xls: this workbook is password-protected: remove the password in Excel and "
            "upload it again");
}

TEST(XlsReaderTest, RefusesADamagedWorkbook) {
  // An OLE2 container whose Workbook stream is empty: no BIFF records at all.
  const std::string path =
      testing::WriteScratchFile("damaged.xls", testing::BuildCompoundFile({"Workbook"}));
  Result<std::unique_ptr<WorkbookReader>> reader = OpenXls(path, Limits(), "damaged.xls");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(),
              HasSubstr("damaged.xls: the Excel 97-2003 workbook is damaged or cannot be read"));
}

// A file that makes FreeXL 1.0.6 free a wild pointer (tests/support/hostile_files.cc). The
// reader runs FreeXL in a child, so this process lives on, refuses the file as damaged, and
// reads the next file.
TEST(XlsReaderTest, AWorkbookThatCrashesFreeXlIsRefusedAndThisProcessLivesOn) {
  std::vector<roster::testing::HostileFile> files = roster::testing::HostileFiles(Limits());
  auto crasher = std::find_if(
      files.begin(), files.end(),
      [](const roster::testing::HostileFile& file) { return file.name == "xls_crashes_freexl"; });
  ASSERT_NE(crasher, files.end());
  const std::string path =
      roster::testing::WriteHostileFile(*crasher, testing::ScratchDirectory()).string();
  Status refused = [&] {
    Result<std::unique_ptr<WorkbookReader>> reader = OpenXls(path, Limits(), "crasher.xls");
    if (!reader.ok()) return reader.status();
    return ReadAllRows(**reader).status();
  }();
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument) << refused.ToString();
  EXPECT_THAT(refused.message(),
              HasSubstr("crasher.xls: the Excel 97-2003 workbook is damaged or cannot be read"));
  EXPECT_THAT(refused.message(), HasSubstr("save it again"));
  Result<std::unique_ptr<WorkbookReader>> next = OpenFixture(kStaff);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_TRUE(ReadAllRows(**next).ok());
}

// Stopping early (the preview's first rows) ends the reading child at once.
TEST(XlsReaderTest, StopsReadingWhenTheCallerHasEnough) {
  Result<std::unique_ptr<WorkbookReader>> reader = OpenFixture(kStaff);
  ASSERT_TRUE(reader.ok());
  int rows = 0;
  ASSERT_TRUE((*reader)->ReadRows(0, [&](const Row&) { return ++rows < 2; }).ok());
  EXPECT_EQ(rows, 2);
  EXPECT_TRUE(ReadAllRows(**reader).ok());  // and reads again afterwards
}

TEST(XlsReaderTest, MissingFileIsNotFound) {
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenXls(testing::ScratchDirectory() + "/missing.xls", Limits(), "missing.xls");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace roster::sheet
