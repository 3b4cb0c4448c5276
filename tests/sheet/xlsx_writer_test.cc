#include "sheet/xlsx_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sheet/support/scratch_file.h"
#include "sheet/workbook_reader.h"
#include "support/unzip_member.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::HasSubstr;
using testing::ReadAllRows;
using testing::ScratchDirectory;
using Texts = std::vector<std::vector<std::string>>;

using ::roster::testing::UnzipMember;

std::string WriteTemplate() {
  const std::string path = ScratchDirectory() + "/template.xlsx";
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path);
  EXPECT_TRUE(writer.ok());
  XlsxWriter& w = **writer;
  Result<size_t> users = w.AddSheet("Users");
  Result<size_t> lists = w.AddSheet("Notes");
  EXPECT_TRUE(users.ok() && lists.ok());
  EXPECT_EQ(*users, 0u);
  EXPECT_EQ(*lists, 1u);
  EXPECT_TRUE(w.WriteHeader(*users, {"E-Mail", "Vorname", "Personalnummer", "Sprache"}).ok());
  EXPECT_TRUE(w.AddNote(*users, 0, 0, "Required: the work address").ok());
  EXPECT_TRUE(w.AddNote(*users, 0, 3, "ISO 639-1: de, en, fr").ok());
  EXPECT_TRUE(w.WriteRow(*users, 1,
                         {std::string("j\u00fcrgen@example.com"), std::string("J\u00fcrgen"),
                          std::string("00123"), std::string("de")})
                  .ok());
  EXPECT_TRUE(
      w.WriteRow(*users, 2, {std::string("anna@example.com"), std::monostate{}, 42.5}).ok());
  EXPECT_TRUE(w.SetColumnWidth(*users, 0, 0, 32).ok());
  EXPECT_TRUE(w.SetColumnWidth(*users, 1, 3, 16).ok());
  EXPECT_TRUE(w.AddDropDown(*users, 3, 1, 1000, {"de", "en", "fr"}).ok());
  EXPECT_TRUE(w.WriteRow(*lists, 0, {std::string("single"), std::string("group")}).ok());
  const Status closed = w.Close();
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  return path;
}

TEST(XlsxWriterTest, WritesStringsNotesAndDropDowns) {
  const std::string path = WriteTemplate();
  const std::string strings = UnzipMember(path, "xl/sharedStrings.xml");
  EXPECT_THAT(strings, HasSubstr("<t>00123</t>"));
  EXPECT_THAT(strings, HasSubstr("<t>j\u00fcrgen@example.com</t>"));
  EXPECT_THAT(strings, HasSubstr("<t>E-Mail</t>"));
  const std::string sheet = UnzipMember(path, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("<dataValidation type=\"list\""));
  EXPECT_THAT(sheet, HasSubstr("<formula1>\"de,en,fr\"</formula1>"));
  EXPECT_THAT(sheet, HasSubstr("<col min=\"1\" max=\"1\" width=\"32.7109375\""));
  EXPECT_THAT(sheet, HasSubstr("<c r=\"C3\"><v>42.5</v></c>"));
  EXPECT_THAT(UnzipMember(path, "xl/comments1.xml"), HasSubstr("ISO 639-1: de, en, fr"));
  EXPECT_THAT(UnzipMember(path, "xl/styles.xml"), HasSubstr("<b/>"));
}

TEST(XlsxWriterTest, RoundTripsThroughOpenWorkbook) {
  const std::string path = WriteTemplate();
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), FileType::kXlsx);
  ASSERT_EQ((*reader)->sheets().size(), 2u);
  EXPECT_EQ((*reader)->sheets()[0].name, "Users");
  Result<std::vector<Row>> rows = ReadAllRows(**reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"E-Mail", "Vorname", "Personalnummer", "Sprache"},
                                     {"j\u00fcrgen@example.com", "J\u00fcrgen", "00123", "de"},
                                     {"anna@example.com", "", "42.5"}}));
  EXPECT_EQ((*rows)[1].cells[2].type, CellType::kText);
  EXPECT_EQ((*rows)[2].cells[2].type, CellType::kNumber);
}

TEST(XlsxWriterTest, ReportsMisuseAsStatus) {
  const std::string path = ScratchDirectory() + "/misuse.xlsx";
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  XlsxWriter& w = **writer;
  Result<size_t> bad_name = w.AddSheet("a/b");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad_name.status().message(), HasSubstr("sheet name \"a/b\""));
  ASSERT_TRUE(w.AddSheet("Users").ok());
  EXPECT_EQ(w.AddSheet("Users").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(w.WriteRow(7, 0, {1.0}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(w.WriteRow(0, -1, {1.0}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(w.WriteRow(0, 1, {std::string(40'000, 'x')}).code(), ErrorCode::kInvalidArgument);
  const Status long_list = w.AddDropDown(0, 0, 1, 10, std::vector<std::string>(30, "0123456789"));
  EXPECT_EQ(long_list.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(long_list.message(), HasSubstr("limit of 255"));
  EXPECT_TRUE(w.Close().ok());
  EXPECT_EQ(w.Close().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(w.AddSheet("More").status().code(), ErrorCode::kFailedPrecondition);
}

TEST(XlsxWriterTest, ConstantMemoryWritesInlineStringsInRowOrder) {
  const std::string path = ScratchDirectory() + "/constant.xlsx";
  Result<std::unique_ptr<XlsxWriter>> writer =
      XlsxWriter::Create(path, XlsxWriter::Options{.constant_memory = true});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  XlsxWriter& w = **writer;
  ASSERT_TRUE(w.AddSheet("Users").ok());
  ASSERT_TRUE(w.WriteHeader(0, {"Roster ID", "Email"}).ok());
  ASSERT_TRUE(w.SetColumnWidth(0, 1, 1, 32).ok());
  for (int64_t row = 1; row <= 3; ++row) {
    ASSERT_TRUE(
        w.WriteRow(0, row,
                   {static_cast<double>(row), "user" + std::to_string(row) + "@example.com"})
            .ok());
  }
  // The earlier rows are on disk already: going back is refused, not silently dropped.
  EXPECT_EQ(w.WriteRow(0, 1, {std::string("late")}).code(), ErrorCode::kInvalidArgument);
  const Status closed = w.Close();
  ASSERT_TRUE(closed.ok()) << closed.ToString();

  const std::string sheet = UnzipMember(path, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("t=\"inlineStr\""));
  EXPECT_THAT(sheet, ::testing::Not(HasSubstr("late")));
  Result<std::unique_ptr<WorkbookReader>> reader = OpenWorkbook(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<std::vector<Row>> rows = ReadAllRows(**reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"Roster ID", "Email"},
                                     {"1", "user1@example.com"},
                                     {"2", "user2@example.com"},
                                     {"3", "user3@example.com"}}));
}

TEST(XlsxWriterTest, DropDownThatAllowsOtherValuesWarnsWithItsMessage) {
  const std::string path = ScratchDirectory() + "/warning.xlsx";
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  XlsxWriter& w = **writer;
  ASSERT_TRUE(w.AddSheet("Users").ok());
  DropDownOptions options{.allow_other = true, .message = "Any ISO 639-1 code is accepted."};
  ASSERT_TRUE(w.AddDropDown(0, 0, 1, 100, {"de", "en"}, options).ok());
  const Status too_long =
      w.AddDropDown(0, 1, 1, 100, {"x"}, DropDownOptions{false, std::string(256, 'm')});
  EXPECT_EQ(too_long.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(too_long.message(), HasSubstr("limit of 255"));
  ASSERT_TRUE(w.Close().ok());
  const std::string sheet = UnzipMember(path, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("errorStyle=\"warning\""));
  EXPECT_THAT(sheet, HasSubstr("error=\"Any ISO 639-1 code is accepted.\""));
}

TEST(XlsxWriterTest, FailsToCloseIntoAMissingDirectory) {
  Result<std::unique_ptr<XlsxWriter>> writer =
      XlsxWriter::Create(ScratchDirectory() + "/no/such/dir/out.xlsx");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->AddSheet("Users").ok());
  const Status status = (*writer)->Close();
  EXPECT_EQ(status.code(), ErrorCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("cannot write the workbook"));
}

}  // namespace
}  // namespace roster::sheet
