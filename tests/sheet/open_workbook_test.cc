#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sheet/advice.h"
#include "sheet/support/scratch_file.h"
#include "sheet/workbook_reader.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::HasSubstr;
using testing::ReadAllRows;
using testing::ScratchDirectory;
using testing::TestDataPath;
using testing::WriteScratchFile;
using Texts = std::vector<std::vector<std::string>>;

TEST(OpenWorkbookTest, NamesEveryFileType) {
  EXPECT_EQ(FileTypeName(FileType::kXlsx), "xlsx");
  EXPECT_EQ(FileTypeName(FileType::kXls), "xls");
  EXPECT_EQ(FileTypeName(FileType::kOds), "ods");
  EXPECT_EQ(FileTypeName(FileType::kCsv), "csv");
}

TEST(OpenWorkbookTest, PicksTheReaderFromTheContentNotTheName) {
  // A CSV uploaded as .xlsx reads as CSV, named after the upload.
  const std::string path = WriteScratchFile("export.xlsx", "email;name\na@example.com;A\n");
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), FileType::kCsv);
  EXPECT_EQ((*reader)->sheets()[0].name, "export");
  EXPECT_EQ((*reader)->text_format()->delimiter, ';');
  Result<std::vector<Row>> rows = ReadAllRows(**reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(CellTexts(*rows), (Texts{{"email", "name"}, {"a@example.com", "A"}}));

  struct Case {
    std::string file;
    FileType type;
  };
  for (const Case& test : {Case{"libreoffice_staff.xls", FileType::kXls},
                           Case{"libreoffice_staff.xlsx", FileType::kXlsx},
                           Case{"exceljs_staff.xlsx", FileType::kXlsx}}) {
    Result<std::unique_ptr<WorkbookReader>> workbook =
        OpenWorkbook(TestDataPath("third_party/" + test.file));
    ASSERT_TRUE(workbook.ok()) << workbook.status().ToString();
    EXPECT_EQ((*workbook)->type(), test.type) << test.file;
  }
}

TEST(OpenWorkbookTest, MessagesUseTheDisplayName) {
  const std::string path = WriteScratchFile("upload-7f3a.bin", "%PDF-1.4\n");
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(path, Limits(), "Mitarbeiter.xlsx");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(),
            "Mitarbeiter.xlsx: this is a PDF document, not a spreadsheet: export the list from "
            "Excel as .xlsx or .csv");
}

TEST(OpenWorkbookTest, ChecksTheSizeBeforeLookingInside) {
  Limits limits;
  limits.max_file_bytes = 10;
  const std::string path = WriteScratchFile("big.csv", std::string(25, 'a'));
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(path, limits);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(reader.status().message(),
            "big.csv is 25 bytes, larger than the limit of 10 bytes: split the list into "
            "smaller files");

  limits.max_file_bytes = int64_t{100} << 20;
  const std::string huge = WriteScratchFile("huge.xlsx", "");
  ASSERT_EQ(::truncate(huge.c_str(), (int64_t{150} << 20) + (int64_t{1} << 19)), 0);
  reader = OpenWorkbook(huge, limits);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(reader.status().message(),
            "huge.xlsx is 150 MB, larger than the limit of 100 MB: split the list into smaller "
            "files");

  // Just over the limit, megabytes would read "100 MB, larger than the limit of 100 MB".
  ASSERT_EQ(::truncate(huge.c_str(), (int64_t{100} << 20) + 1), 0);
  reader = OpenWorkbook(huge, limits);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().message(),
            "huge.xlsx is 104,857,601 bytes, larger than the limit of 104,857,600 bytes "
            "(100 MB): split the list into smaller files");
}

TEST(OpenWorkbookTest, RefusesEmptyMissingAndNonFiles) {
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(WriteScratchFile("empty.csv", ""));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(), "empty.csv: the file is empty" + std::string(kSaveAgain));

  reader = OpenWorkbook(ScratchDirectory() + "/missing.xlsx");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(reader.status().message(), "missing.xlsx: the file does not exist");

  reader = OpenWorkbook(ScratchDirectory(), Limits(), "folder");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(), "folder: this is not a file");
}

TEST(OpenWorkbookTest, RefusesPasswordProtectedWorkbooks) {
  for (const std::string file : {"libreoffice_encrypted.xls", "xlsx_populate_encrypted.xlsx"}) {
    Result<std::unique_ptr<WorkbookReader>> reader =
        OpenWorkbook(TestDataPath("third_party/" + file));
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(reader.status().message(), HasSubstr("this workbook is password-protected"));
  }
}

}  // namespace
}  // namespace roster::sheet
