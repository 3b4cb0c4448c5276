#include "sheet/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sheet/advice.h"
#include "sheet/support/scratch_file.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadAllRows;
using testing::RowNumbers;
using testing::WriteScratchFile;
using Texts = std::vector<std::vector<std::string>>;

std::unique_ptr<WorkbookReader> Open(std::string_view bytes, const Limits& limits = Limits(),
                                     const std::string& name = "staff.csv") {
  const std::string path = WriteScratchFile(name, bytes);
  Result<std::unique_ptr<WorkbookReader>> reader = OpenCsv(path, limits, name);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// The texts of every row, failing the test on a read error.
Texts ReadTexts(std::string_view bytes, const Limits& limits = Limits()) {
  std::unique_ptr<WorkbookReader> reader = Open(bytes, limits);
  if (reader == nullptr) return {};
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? CellTexts(*rows) : Texts{};
}

// The error of reading `bytes`.
Status ReadError(std::string_view bytes, const Limits& limits = Limits()) {
  std::unique_ptr<WorkbookReader> reader = Open(bytes, limits);
  if (reader == nullptr) return Internal("open failed");
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  EXPECT_FALSE(rows.ok());
  return rows.status();
}

std::string Utf16(std::u16string_view text, bool big_endian, bool bom) {
  std::string bytes;
  if (bom) bytes = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (const char16_t unit : text) {
    const char high = static_cast<char>(unit >> 8);
    const char low = static_cast<char>(unit & 0xFF);
    bytes += big_endian ? std::string{high, low} : std::string{low, high};
  }
  return bytes;
}

TEST(CsvReaderTest, ReadsTextCellsWithRowNumbersAndTrimsTrailingEmptyCells) {
  std::unique_ptr<WorkbookReader> reader =
      Open("email,first,id\nanna@example.com,Anna,00123\nbob@example.com,,\n,Carl,7\n");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->type(), FileType::kCsv);
  ASSERT_EQ(reader->sheets().size(), 1u);
  EXPECT_EQ(reader->sheets()[0].name, "staff");
  EXPECT_TRUE(reader->sheets()[0].visible);
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"email", "first", "id"},
                                     {"anna@example.com", "Anna", "00123"},
                                     {"bob@example.com"},
                                     {"", "Carl", "7"}}));
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ((*rows)[1].cells[2].type, CellType::kText);
  EXPECT_EQ((*rows)[3].cells[0].type, CellType::kEmpty);
  EXPECT_EQ((*rows)[3].cells[1].type, CellType::kText);
}

TEST(CsvReaderTest, ReadsTheSameRowsTwiceAndStopsWhenAsked) {
  std::unique_ptr<WorkbookReader> reader = Open("a\nb\nc\n");
  ASSERT_NE(reader, nullptr);
  int calls = 0;
  ASSERT_TRUE(reader->ReadRows(0, [&](const Row&) { return ++calls < 2; }).ok());
  EXPECT_EQ(calls, 2);
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(CellTexts(*rows), (Texts{{"a"}, {"b"}, {"c"}}));
  Status bad_sheet = reader->ReadRows(1, [](const Row&) { return true; });
  EXPECT_EQ(bad_sheet.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad_sheet.message(), HasSubstr("no sheet 2"));
}

struct EncodingCase {
  std::string label;
  std::string bytes;
  std::string encoding;
  Texts texts;
};

class CsvEncodingTest : public ::testing::TestWithParam<EncodingCase> {};

TEST_P(CsvEncodingTest, DecodesToUtf8AndReportsTheEncoding) {
  const EncodingCase& test = GetParam();
  std::unique_ptr<WorkbookReader> reader = Open(test.bytes);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(reader->text_format().has_value());
  EXPECT_EQ(reader->text_format()->encoding, test.encoding);
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), test.texts);
}

INSTANTIATE_TEST_SUITE_P(
    Encodings, CsvEncodingTest,
    ::testing::Values(
        EncodingCase{"Utf8",
                     "name,city\nJ\xC3\xBCrgen,K\xC3\xB6ln\n",
                     "UTF-8",
                     {{"name", "city"}, {"J\u00fcrgen", "K\u00f6ln"}}},
        EncodingCase{"Ascii", "a,b\n", "UTF-8", {{"a", "b"}}},
        EncodingCase{"Utf8Bom",
                     "\xEF\xBB\xBFname;city\nJ\xC3\xBCrgen;K\xC3\xB6ln\n",
                     "UTF-8 with BOM",
                     {{"name", "city"}, {"J\u00fcrgen", "K\u00f6ln"}}},
        EncodingCase{"Utf16LeBom",
                     Utf16(u"name\tcity\r\nJ\u00fcrgen\t\u20ac \U0001F600\r\n",
                           /*big_endian=*/false, /*bom=*/true),
                     "UTF-16LE",
                     {{"name", "city"}, {"J\u00fcrgen", "\u20ac \U0001F600"}}},
        EncodingCase{"Utf16BeBom",
                     Utf16(u"name,city\nJ\u00fcrgen,K\u00f6ln\n",
                           /*big_endian=*/true, /*bom=*/true),
                     "UTF-16BE",
                     {{"name", "city"}, {"J\u00fcrgen", "K\u00f6ln"}}},
        EncodingCase{"Utf16LeWithoutBom",
                     Utf16(u"name,city\nJ\u00fcrgen,K\u00f6ln\n",
                           /*big_endian=*/false, /*bom=*/false),
                     "UTF-16LE",
                     {{"name", "city"}, {"J\u00fcrgen", "K\u00f6ln"}}},
        EncodingCase{
            "Windows1252",
            "name;price\nJ\xE4ger;5 \x80\n\x93quoted\x94;\x9F\n",
            "Windows-1252",
            {{"name", "price"}, {"J\u00e4ger", "5 \u20ac"}, {"\u201cquoted\u201d", "\u0178"}}},
        // Bytes Windows-1252 leaves undefined read as U+FFFD, visibly wrong, not dropped.
        EncodingCase{"Windows1252UndefinedBytes",
                     "a\x81z,\x8D\x8F\x90\x9D\n",
                     "Windows-1252",
                     {{"a\uFFFDz", "\uFFFD\uFFFD\uFFFD\uFFFD"}}},
        // A truncated UTF-8 sequence at the very end: not UTF-8, so Windows-1252.
        EncodingCase{"TruncatedUtf8AtEnd", "ab\xC3", "Windows-1252", {{"ab\u00c3"}}}),
    [](const ::testing::TestParamInfo<EncodingCase>& info) { return info.param.label; });

struct DelimiterCase {
  std::string label;
  std::string bytes;
  char delimiter;
  Texts texts;
};

class CsvDelimiterTest : public ::testing::TestWithParam<DelimiterCase> {};

TEST_P(CsvDelimiterTest, SniffsTheDelimiter) {
  const DelimiterCase& test = GetParam();
  std::unique_ptr<WorkbookReader> reader = Open(test.bytes);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->text_format()->delimiter, test.delimiter);
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), test.texts);
}

INSTANTIATE_TEST_SUITE_P(
    Delimiters, CsvDelimiterTest,
    ::testing::Values(
        DelimiterCase{"Comma", "a,b,c\n1,2,3\n", ',', {{"a", "b", "c"}, {"1", "2", "3"}}},
        // German Excel: ';' between cells, ',' as the decimal separator.
        DelimiterCase{
            "GermanSemicolon",
            "Name;Betrag;Notiz\nM\xC3\xBCller;1,50;a,b\nSchmidt;2,75;\n",
            ';',
            {{"Name", "Betrag", "Notiz"}, {"M\u00fcller", "1,50", "a,b"}, {"Schmidt", "2,75"}}},
        DelimiterCase{"Tab", "a\tb\n1, 2\t3\n", '\t', {{"a", "b"}, {"1, 2", "3"}}},
        DelimiterCase{"Pipe", "a|b|c\n1|2|3\n", '|', {{"a", "b", "c"}, {"1", "2", "3"}}},
        // Quoted delimiters do not count.
        DelimiterCase{"QuotedCommasInSemicolonFile",
                      "\"a,b,c\";d\n\"e,f\";g\n",
                      ';',
                      {{"a,b,c", "d"}, {"e,f", "g"}}},
        // One column (a plain address list): no candidate splits a record: ','.
        DelimiterCase{
            "SingleColumn", "email\nanna@example.com\n", ',', {{"email"}, {"anna@example.com"}}},
        // A title line above the header does not mislead the sniffing.
        DelimiterCase{"TitleLine",
                      "Mitarbeiterliste, Stand 1.3.\nName;Email\nA;a@x.de\n",
                      ';',
                      {{"Mitarbeiterliste, Stand 1.3."}, {"Name", "Email"}, {"A", "a@x.de"}}},
        // Most consistent wins: ',' splits the header in 2 but the rows inconsistently.
        DelimiterCase{"MostConsistent",
                      "a;b,x;c\n1;2;3\n4;5,6,7;8\n",
                      ';',
                      {{"a", "b,x", "c"}, {"1", "2", "3"}, {"4", "5,6,7", "8"}}},
        // Equally consistent with equal columns: the order , ; tab | decides.
        DelimiterCase{"TieGoesToComma", "a,b;c\nd,e;f\n", ',', {{"a", "b;c"}, {"d", "e;f"}}},
        // Equally consistent: more columns win.
        DelimiterCase{"TieGoesToMoreColumns",
                      "a,b;c;d\ne,f;g;h\n",
                      ';',
                      {{"a,b", "c", "d"}, {"e,f", "g", "h"}}}),
    [](const ::testing::TestParamInfo<DelimiterCase>& info) { return info.param.label; });

TEST(CsvReaderTest, FollowsRfc4180Quoting) {
  EXPECT_EQ(ReadTexts("name,note\n\"Schmidt, Anna\",\"line 1\nline 2\r\nline 3\"\n"
                      "\"say \"\"hi\"\"\",\"\"\n\"\"\"\",x\n"),
            (Texts{{"name", "note"},
                   {"Schmidt, Anna", "line 1\nline 2\r\nline 3"},
                   {"say \"hi\""},
                   {"\"", "x"}}));
}

TEST(CsvReaderTest, KeepsStrayQuotesAsWritten) {
  // As Excel does: a quote inside an unquoted cell is text; text after a closing quote is kept.
  EXPECT_EQ(ReadTexts("ab\"c,\"de\"f,g\n"), (Texts{{"ab\"c", "def", "g"}}));
}

TEST(CsvReaderTest, AcceptsCrlfLfAndCrLineEnds) {
  const Texts expected = {{"a", "b"}, {"c", "d"}, {"e", "f"}};
  EXPECT_EQ(ReadTexts("a,b\r\nc,d\r\ne,f\r\n"), expected);
  EXPECT_EQ(ReadTexts("a,b\nc,d\ne,f"), expected);
  EXPECT_EQ(ReadTexts("a,b\rc,d\re,f\r"), expected);
  EXPECT_EQ(ReadTexts("a,b\rc,d\r\ne,f\n"), expected);
}

TEST(CsvReaderTest, SkipsEmptyRecordsButCountsThem) {
  std::unique_ptr<WorkbookReader> reader = Open("a,b\n\n,,\n\"\",\nc\r\n\r\n\r\n\n");
  ASSERT_NE(reader, nullptr);
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(CellTexts(*rows), (Texts{{"a", "b"}, {"c"}}));
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(1, 5));
}

TEST(CsvReaderTest, KeepsWhitespaceAndLeadingZeros) {
  EXPECT_EQ(ReadTexts(" 00123 ,\t x\n"), (Texts{{" 00123 ", "\t x"}}));
}

TEST(CsvReaderTest, RefusesAnUnclosedQuoteNamingItsRow) {
  const Status status = ReadError("a,b\nc,d\ne,\"never closed\nf,g\n");
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "staff.csv: a quote opened in row 3 is never closed: close or remove it and upload "
            "again");
}

TEST(CsvReaderTest, RefusesNulBytesNamingTheRow) {
  Status status = ReadError(std::string("a,b\nc,d\0x\n", 10));
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "staff.csv: row 2 contains a NUL byte: the file is binary data, not text" +
                std::string(kSaveAsCsvUtf8));
  status = ReadError(std::string("a,\"b\nc\0\"\n", 10));
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("row 1 contains a NUL byte"));
}

TEST(CsvReaderTest, EnforcesTheCellLengthLimitInCharacters) {
  const std::string long_cell(100'000, 'x');
  const std::string csv = "a,b\nc," + long_cell + "\n";
  const Status status = ReadError(csv);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "staff.csv: the cell in row 2, column B is longer than 32767 characters (the limit)" +
                std::string(kShorten));

  Limits roomy;
  roomy.max_cell_chars = 100'000;
  const Texts texts = ReadTexts(csv, roomy);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1][1], long_cell);

  // Characters, not bytes: 4 two-byte characters fit a limit of 4.
  Limits tight;
  tight.max_cell_chars = 4;
  EXPECT_EQ(ReadTexts("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F\n", tight),
            (Texts{{"\u00e4\u00f6\u00fc\u00df"}}));
  EXPECT_EQ(ReadError("abcd,\"abcde\"\n", tight).code(), ErrorCode::kResourceExhausted);
}

TEST(CsvReaderTest, EnforcesTheColumnAndRowLimits) {
  Limits limits;
  limits.max_columns = 3;
  limits.max_rows = 3;
  EXPECT_EQ(ReadTexts("a,b,c,,,\n", limits), (Texts{{"a", "b", "c"}}));  // empty cells are free
  Status status = ReadError("a,b,c\n1,2,3,4\n", limits);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "staff.csv: row 2 has more than 3 columns (the limit)" + std::string(kSplitOrTrim));
  // A header and 3 data rows are within the limit, as in every other format.
  EXPECT_EQ(ReadTexts("a\nb\nc\nd\n", limits), (Texts{{"a"}, {"b"}, {"c"}, {"d"}}));
  status = ReadError("a\nb\nc\nd\ne\n", limits);
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "staff.csv has more than 3 data rows below its header (the limit)" +
                                  std::string(kSplitOrTrim));
  EXPECT_EQ(ReadTexts("a\nb\nc\nd\n\n\n", limits), (Texts{{"a"}, {"b"}, {"c"}, {"d"}}));
}

TEST(CsvReaderTest, RefusesBrokenUtf16AndBrokenUtf8AfterABom) {
  std::string lone_surrogate = Utf16(u"a,b\n", false, true) + std::string("\x00\xDC", 2);
  Status status = ReadError(lone_surrogate);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not valid UTF-16LE"));

  status = ReadError(Utf16(u"a,b\n", true, true) + "x");  // an odd byte count
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ends in the middle of a character"));

  const std::string path = WriteScratchFile("bom.csv",
                                            "\xEF\xBB\xBF"
                                            "a,\xE4\n");
  Result<std::unique_ptr<WorkbookReader>> reader = OpenCsv(path, Limits(), "bom.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(), HasSubstr("bom.csv: the file starts with a UTF-8"));
}

TEST(CsvReaderTest, MissingFileIsNotFound) {
  Result<std::unique_ptr<WorkbookReader>> reader =
      OpenCsv(testing::ScratchDirectory() + "/missing.csv", Limits(), "missing.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(reader.status().message(), "missing.csv: the file does not exist");
}

// Files larger than the 1 MiB read chunk: records, quotes, CRLF pairs, multi-byte and
// UTF-16 characters cut by chunk ends must read as if the file were one piece.
TEST(CsvReaderTest, ReadsAcrossChunkBoundaries) {
  std::string utf8;
  std::u16string utf16;
  Texts expected;
  for (int i = 1; i <= 40'000; ++i) {
    const std::string id = std::to_string(i);
    utf8 +=
        "user" + id + "@example.com;\"J\xC3\xBCrgen\r\n\"\"" + id + "\"\"\";\xF0\x9F\x98\x80\r\n";
    std::u16string id16(id.begin(), id.end());
    utf16 +=
        u"user" + id16 + u"@example.com;\"J\u00fcrgen\r\n\"\"" + id16 + u"\"\"\";\U0001F600\r\n";
    expected.push_back(
        {"user" + id + "@example.com", "J\u00fcrgen\r\n\"" + id + "\"", "\U0001F600"});
  }
  ASSERT_GT(utf8.size(), 1u << 20);
  EXPECT_EQ(ReadTexts(utf8), expected);
  for (const bool big_endian : {false, true}) {
    // An odd offset of 1 shifts surrogate pairs across the chunk ends.
    EXPECT_EQ(ReadTexts(Utf16(u"\u00e4\n" + utf16, big_endian, true)).size(), expected.size() + 1);
  }

  // A Windows-1252 byte after the first chunk makes the whole file Windows-1252.
  std::string latin;
  for (int i = 0; i < 800'000; ++i) latin += "abc\n";
  latin += "\xE4\n";
  std::unique_ptr<WorkbookReader> reader = Open(latin);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->text_format()->encoding, "Windows-1252");
  Result<std::vector<Row>> rows = ReadAllRows(*reader);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 800'001u);
  EXPECT_EQ(rows->back().cells[0].text, "\u00e4");
  EXPECT_EQ(rows->back().number, 800'001);
}

}  // namespace
}  // namespace roster::sheet
