#include "sheet/file_type.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sheet/advice.h"
#include "sheet/support/compound_file_builder.h"
#include "sheet/support/scratch_file.h"

namespace roster::sheet {
namespace {

using testing::BuildCompoundFile;
using ::testing::HasSubstr;
using testing::ScratchDirectory;
using testing::WriteScratchFile;
using testing::WriteZipFile;

constexpr std::string_view kOdsMime = "application/vnd.oasis.opendocument.spreadsheet";

Result<FileType> DetectBytes(std::string_view bytes) {
  return DetectFileType(WriteScratchFile("upload.bin", bytes), "upload.xlsx");
}

Result<FileType> DetectZip(const std::vector<std::pair<std::string, std::string>>& members) {
  const std::string path = ScratchDirectory() + "/upload.zip";
  WriteZipFile(path, members);
  return DetectFileType(path, "upload.xlsx");
}

std::string RandomBytes(size_t size) {
  std::string bytes(size, '\0');
  uint32_t state = 12345;
  for (char& byte : bytes) {
    state = state * 1103515245 + 12345;
    byte = static_cast<char>(state >> 16);
  }
  return bytes;
}

void ExpectType(const Result<FileType>& result, FileType type) {
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*result, type);
}

void ExpectRefused(const Result<FileType>& result, std::string_view message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), message);
}

TEST(FileTypeTest, RecognizesZipSpreadsheetsByTheirMembers) {
  ExpectType(DetectZip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<workbook/>"}}),
             FileType::kXlsx);
  ExpectType(DetectZip({{"mimetype", std::string(kOdsMime)}, {"content.xml", "<x/>"}}),
             FileType::kOds);
  ExpectType(DetectZip({{"content.xml", "<x/>"}}), FileType::kOds);
}

TEST(FileTypeTest, NamesZipFilesThatAreNotSpreadsheets) {
  ExpectRefused(DetectZip({{"word/document.xml", "<w/>"}}),
                "upload.xlsx: this is a Word document, not a spreadsheet: export the list from "
                "Excel as .xlsx or .csv");
  ExpectRefused(DetectZip({{"ppt/presentation.xml", "<p/>"}}),
                "upload.xlsx: this is a PowerPoint presentation, not a spreadsheet: export the "
                "list from Excel as .xlsx or .csv");
  ExpectRefused(
      DetectZip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", ""}}),
      "upload.xlsx: this is an OpenDocument text document (Writer), not a spreadsheet: export "
      "the list from Excel as .xlsx or .csv");
  ExpectRefused(DetectZip({{"photos/a.jpg", "x"}}),
                "upload.xlsx: this is a zip archive, not a spreadsheet: export the list from "
                "Excel as .xlsx or .csv");
  const Result<FileType> xlsb = DetectZip({{"xl/workbook.bin", "x"}});
  ASSERT_FALSE(xlsb.ok());
  EXPECT_THAT(xlsb.status().message(), HasSubstr("Excel binary workbook (.xlsb)"));
}

TEST(FileTypeTest, RefusesADamagedZip) {
  ExpectRefused(DetectBytes(std::string("PK\x03\x04", 4) + RandomBytes(200)),
                "upload.xlsx: the file is damaged or incomplete (its zip structure cannot be "
                "read): save it again and upload it again");
}

TEST(FileTypeTest, LooksInsideOle2CompoundFiles) {
  ExpectType(DetectBytes(BuildCompoundFile({"Workbook", "\x05SummaryInformation"})),
             FileType::kXls);
  ExpectType(DetectBytes(BuildCompoundFile({"Book"})), FileType::kXls);
  // An encrypted xlsx: the OOXML package sits encrypted inside an OLE2 file.
  ExpectRefused(DetectBytes(BuildCompoundFile({"EncryptionInfo", "EncryptedPackage"})),
                "upload.xlsx: this workbook is password-protected: remove the password in Excel "
                "and upload it again");
  ExpectRefused(DetectBytes(BuildCompoundFile({"WordDocument"})),
                "upload.xlsx: this is a Word document, not a spreadsheet: export the list from "
                "Excel as .xlsx or .csv");
  ExpectRefused(DetectBytes(BuildCompoundFile({"Something"})),
                "upload.xlsx: this is an Office file of an unknown kind, not a spreadsheet: "
                "export the list from Excel as .xlsx or .csv");
  // Truncated: the header promises a directory the file does not hold.
  ExpectRefused(DetectBytes(BuildCompoundFile({"Workbook"}).substr(0, 700)),
                "upload.xlsx: the file is damaged or incomplete (its Office structure cannot be "
                "read): save it again and upload it again");
}

TEST(FileTypeTest, ListsCompoundFileEntries) {
  const std::string path = WriteScratchFile("ole.bin", BuildCompoundFile({"Workbook", "Book"}));
  Result<std::vector<std::string>> names = ListCompoundFileEntries(path, "ole.bin");
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"Root Entry", "Workbook", "Book"}));
}

struct MagicCase {
  std::string label;
  std::string bytes;
  std::string what;
};

class FileTypeMagicTest : public ::testing::TestWithParam<MagicCase> {};

TEST_P(FileTypeMagicTest, SaysWhatTheFileLooksLike) {
  ExpectRefused(DetectBytes(GetParam().bytes),
                "upload.xlsx: this is " + GetParam().what +
                    ", not a spreadsheet: export the list from Excel as .xlsx or .csv");
}

INSTANTIATE_TEST_SUITE_P(
    Magics, FileTypeMagicTest,
    ::testing::Values(
        MagicCase{"Pdf", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "a PDF document"},
        MagicCase{"Png", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), "a PNG image"},
        MagicCase{"Jpeg", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11), "a JPEG image"},
        MagicCase{"Gif", "GIF89a\x01\x00\x01\x00", "a GIF image"},
        MagicCase{"Gzip", std::string("\x1F\x8B\x08\0\0\0\0\0", 8), "a gzip archive"},
        MagicCase{"Rtf", "{\\rtf1\\ansi hello}", "an RTF document"},
        MagicCase{"Xml", "<?xml version=\"1.0\"?><root/>", "an XML document"}),
    [](const ::testing::TestParamInfo<MagicCase>& info) { return info.param.label; });

TEST(FileTypeTest, RefusesWebPagesAndExcel2003Xml) {
  Result<FileType> html = DetectBytes("\xEF\xBB\xBF  <!DOCTYPE html><html><table></table></html>");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(html.status().message(), HasSubstr("upload.xlsx: this is a web page (HTML)"));
  Result<FileType> xml = DetectBytes(
      "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">");
  ASSERT_FALSE(xml.ok());
  EXPECT_THAT(xml.status().message(), HasSubstr("an Excel 2003 XML spreadsheet"));
}

TEST(FileTypeTest, RefusesUnknownBinaryData) {
  ExpectRefused(DetectBytes(RandomBytes(4096)),
                "upload.xlsx: this is not a spreadsheet (it holds binary data of a kind Roster "
                "does not know): export the list from Excel as .xlsx or .csv");
}

TEST(FileTypeTest, RefusesAnEmptyFile) {
  ExpectRefused(DetectBytes(""), "upload.xlsx: the file is empty" + std::string(kSaveAgain));
}

TEST(FileTypeTest, TakesDecodableTextAsCsv) {
  ExpectType(DetectBytes("email\nanna@example.com\n"), FileType::kCsv);
  ExpectType(DetectBytes("\xEF\xBB\xBF"
                         "email;name\n"),
             FileType::kCsv);
  ExpectType(DetectBytes(std::string("\xFF\xFE"
                                     "e\0m\0a\0i\0l\0\n\0",
                                     14)),
             FileType::kCsv);
  ExpectType(DetectBytes(std::string("\xFE\xFF\0e\0m\0a\0i\0l\0\n", 14)), FileType::kCsv);
  ExpectType(DetectBytes(std::string("e\0m\0a\0i\0l\0,\0n\0a\0m\0e\0\n\0", 22)), FileType::kCsv);
  ExpectType(DetectBytes("name;city\nJ\xE4ger;K\xF6ln \x80\n"), FileType::kCsv);
  // A stray NUL in otherwise plain text: the CSV reader names its row.
  std::string text;
  for (int i = 0; i < 200; ++i) text += "user" + std::to_string(i) + "@example.com\n";
  text[1000] = '\0';
  ExpectType(DetectBytes(text), FileType::kCsv);
}

TEST(FileTypeTest, MissingFileIsNotFound) {
  Result<FileType> result = DetectFileType(ScratchDirectory() + "/missing", "missing.xlsx");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace roster::sheet
