#include "sheet/xlsx_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "sheet/support/scratch_file.h"
#include "sheet/support/zip_builder.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadAllRows;
using testing::RowNumbers;
using testing::SharedStringsXml;
using testing::WorksheetXml;
using testing::WriteScratchFile;
using testing::XlsxPackage;
using testing::ZipBuilder;
using Texts = std::vector<std::vector<std::string>>;

Result<std::unique_ptr<WorkbookReader>> OpenBytes(std::string_view bytes,
                                                  const Limits& limits = Limits()) {
  static int counter = 0;
  const std::string path = WriteScratchFile("xlsx-" + std::to_string(++counter) + ".xlsx", bytes);
  return OpenXlsx(path, limits, "staff.xlsx");
}

Result<std::vector<Row>> ReadFirstSheet(const XlsxPackage& package,
                                        const Limits& limits = Limits()) {
  ROSTER_ASSIGN_OR_RETURN(auto reader, OpenBytes(package.Build(), limits));
  return ReadAllRows(*reader, 0);
}

XlsxPackage OneSheet(std::string sheet_data, std::vector<std::string> shared = {}) {
  XlsxPackage package;
  package.sheets = {WorksheetXml(sheet_data)};
  if (!shared.empty()) package.shared_strings = SharedStringsXml(shared);
  return package;
}

std::vector<CellType> Types(const Row& row) {
  std::vector<CellType> types;
  for (const Cell& cell : row.cells) types.push_back(cell.type);
  return types;
}

TEST(XlsxReaderTest, ReadsSharedStringsWithRichTextPhoneticRunsReferencesAndEscapes) {
  const XlsxPackage package = OneSheet(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>)"
      R"(<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>)"
      R"(<c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>)",
      {"<t>plain</t>",
       R"(<r><rPr><b/><sz val="11"/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch </t></r>)",
       R"(<t>日本</t><rPh sb="0" eb="2"><t>にほん</t></rPh><phoneticPr fontId="1"/>)",
       "<t>line1_x000D_\nline2</t>", "<t>a &amp; b &lt;c&gt; &#x41;&#65; &quot;q&apos;</t>",
       "<t>_x005F_x000D_</t>", "<t>00123</t>"});
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"plain", "Rich ", "日本", "line1\r\nline2",
                                      "a & b <c> AA \"q'", "_x000D_", "00123"}}));
  EXPECT_EQ((*rows)[0].cells[6].type, CellType::kText);
}

TEST(XlsxReaderTest, ReadsEveryCellType) {
  const XlsxPackage package = OneSheet(
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Anna</t></is></c>)"
      R"(<c r="B1" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>)"
      R"(<c r="C1"><v>42</v></c><c r="D1" t="n"><v>0.5</v></c><c r="E1"><v>1.0E-3</v></c>)"
      R"(<c r="F1" t="b"><v>1</v></c><c r="G1" t="b"><v>0</v></c>)"
      R"(<c r="H1" t="e"><f>NA()</f><v>#N/A</v></c><c r="I1" t="d"><v>2024-03-01T00:00:00Z</v></c>)"
      R"(<c r="J1" t="d"><v>2024-03-01T08:30:00</v></c>)"
      R"(<c r="K1" t="inlineStr"><is><r><t>in</t></r><r><rPr/><t>line</t></r></is></c>)"
      R"(<c r="L1"><v>1234567890123</v></c></row>)");
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows),
            (Texts{{"Anna", "ab", "42", "0.5", "0.001", "TRUE", "FALSE", "#N/A", "2024-03-01",
                    "2024-03-01T08:30:00", "inline", "1234567890123"}}));
  EXPECT_THAT(
      Types((*rows)[0]),
      ElementsAre(CellType::kText, CellType::kText, CellType::kNumber, CellType::kNumber,
                  CellType::kNumber, CellType::kBoolean, CellType::kBoolean, CellType::kError,
                  CellType::kDate, CellType::kDate, CellType::kText, CellType::kNumber));
}

constexpr std::string_view kStyles =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/>)"
    R"(<numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>)"
    R"(<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>)"
    R"(<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs></styleSheet>)";

TEST(XlsxReaderTest, ReadsDatesFromBuiltinAndCustomFormats) {
  XlsxPackage package = OneSheet(
      R"(<row r="1"><c r="A1" s="1"><v>45352</v></c><c r="B1" s="2"><v>45352.5</v></c>)"
      R"(<c r="C1" s="3"><v>45352</v></c><c r="D1" s="0"><v>45352</v></c>)"
      R"(<c r="E1" s="4"><v>45352.354166666664</v></c><c r="F1" s="99"><v>7</v></c></row>)");
  package.styles = std::string(kStyles);
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(
      CellTexts(*rows),
      (Texts{{"2024-03-01", "2024-03-01T12:00:00", "45352", "45352", "2024-03-01T08:30:00", "7"}}));
  EXPECT_THAT(Types((*rows)[0]),
              ElementsAre(CellType::kDate, CellType::kDate, CellType::kNumber, CellType::kNumber,
                          CellType::kDate, CellType::kNumber));
}

TEST(XlsxReaderTest, ReadsThe1904DateSystem) {
  for (const char* value : {"1", "true"}) {
    XlsxPackage package = OneSheet(R"(<row r="1"><c r="A1" s="1"><v>43890</v></c></row>)");
    package.styles = std::string(kStyles);
    package.workbook_pr = std::string(R"(<workbookPr date1904=")") + value + R"("/>)";
    auto rows = ReadFirstSheet(package);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(CellTexts(*rows), (Texts{{"2024-03-01"}})) << value;
  }
}

TEST(XlsxReaderTest, ReadsSparseCellsAndRows) {
  const XlsxPackage package =
      OneSheet(R"(<row r="2" spans="2:4"><c r="B2" t="s"><v>0</v></c><c r="C2" s="1"/>)"
               R"(<c r="D2"><v>7</v></c><c r="E2" s="3"/></row><row r="3" customHeight="1"/>)"
               R"(<row r="4"><c r="A4" s="2"/><c r="B4" t="s"><v>1</v></c></row>)"
               R"(<row r="5"><c r="C5" t="inlineStr"><is><t>z</t></is></c></row>)",
               {"<t>x</t>", "<t></t>"});
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"", "x", "", "7"}, {"", "", "z"}}));
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(2, 5));
  EXPECT_EQ((*rows)[0].cells[0].type, CellType::kEmpty);
}

TEST(XlsxReaderTest, CellsAndRowsWithoutReferencesFollowThePreviousOne) {
  const XlsxPackage package =
      OneSheet(R"(<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>)"
               R"(<row><c><v>1</v></c><c r="C2"><v>3</v></c><c><v>4</v></c></row>)"
               R"(<row r="5"><c><v>5</v></c></row><row><c r="B6"><v>6</v></c></row>)"
               R"(<row><c r="A9"><v>9</v></c></row>)");
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"a", "2"}, {"1", "", "3", "4"}, {"5"}, {"", "6"}, {"9"}}));
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(1, 2, 5, 6, 9));
}

TEST(XlsxReaderTest, ReadsAnyNamespacePrefixAndStrictOoxml) {
  XlsxPackage package;
  package.sheets = {
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main" )"
      R"(xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><x:sheetData>)"
      R"(<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>)"
      R"(<x:c r="B1" t="inlineStr"><x:is><x:t>in</x:t></x:is></x:c></x:row>)"
      R"(</x:sheetData></x:worksheet>)"};
  package.shared_strings =
      R"(<ss:sst xmlns:ss="http://purl.oclc.org/ooxml/spreadsheetml/main"><ss:si><ss:t>shared</ss:t></ss:si></ss:sst>)";
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"shared", "in"}}));
}

// A package whose parts are not where Excel puts them, with prefixed workbook XML.
std::string OddPackage() {
  ZipBuilder zip;
  zip.Add(
      "_rels/.rels",
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="R1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/book/main.xml"/>)"
      R"(</Relationships>)");
  zip.Add(
      "book/main.xml",
      R"(<w:workbook xmlns:w="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<w:sheets><w:sheet name="Staff &amp; more" sheetId="1" rel:id="a"/>)"
      R"(<w:sheet name="Chart" sheetId="2" rel:id="c"/>)"
      R"(<w:sheet name="Second" sheetId="3" rel:id="b" state="hidden"/></w:sheets></w:workbook>)");
  zip.Add(
      "book/_rels/main.xml.rels",
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/data/First%20Sheet.xml"/>)"
      R"(<Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="./../data/./second.xml"/>)"
      R"(<Relationship Id="c" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="charts/c.xml"/>)"
      R"(<Relationship Id="s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>)"
      R"(<Relationship Id="h" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com" TargetMode="External"/>)"
      R"(</Relationships>)");
  zip.Add("data/First Sheet.xml", WorksheetXml(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"));
  zip.Add("data/second.xml", WorksheetXml(R"(<row r="1"><c r="A1"><v>2</v></c></row>)"));
  zip.Add("book/strings.xml", SharedStringsXml({"<t>first</t>"}));
  return zip.Build();
}

TEST(XlsxReaderTest, ResolvesRelationshipsWhateverThePartNames) {
  auto reader = OpenBytes(OddPackage());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto& sheets = (*reader)->sheets();
  ASSERT_EQ(sheets.size(), 2u);
  EXPECT_EQ(sheets[0].name, "Staff & more");
  EXPECT_TRUE(sheets[0].visible);
  EXPECT_EQ(sheets[1].name, "Second");
  EXPECT_FALSE(sheets[1].visible);
  EXPECT_EQ((*reader)->type(), FileType::kXlsx);
  auto first = ReadAllRows(**reader, 0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(CellTexts(*first), (Texts{{"first"}}));
  auto second = ReadAllRows(**reader, 1);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(CellTexts(*second), (Texts{{"2"}}));
}

TEST(XlsxReaderTest, ReportsSheetVisibility) {
  XlsxPackage package;
  package.sheets = {WorksheetXml(""), WorksheetXml(""), WorksheetXml("")};
  package.sheet_names = {"Visible", "Hidden", "VeryHidden"};
  package.sheet_states = {"visible", "hidden", "veryHidden"};
  auto reader = OpenBytes(package.Build());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto& sheets = (*reader)->sheets();
  ASSERT_EQ(sheets.size(), 3u);
  EXPECT_EQ(sheets[0].name, "Visible");
  EXPECT_TRUE(sheets[0].visible);
  EXPECT_FALSE(sheets[1].visible);
  EXPECT_FALSE(sheets[2].visible);
  auto rows = ReadAllRows(**reader, 2);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(XlsxReaderTest, StopsWhenTheCallbackSaysSoAndReadsAgain) {
  std::string data;
  for (int i = 1; i <= 10; ++i) {
    data += "<row r=\"" + std::to_string(i) + "\"><c><v>" + std::to_string(i) + "</v></c></row>";
  }
  auto reader = OpenBytes(OneSheet(data).Build());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (int round = 0; round < 2; ++round) {
    std::vector<int64_t> seen;
    const Status status = (*reader)->ReadRows(0, [&](const Row& row) {
      seen.push_back(row.number);
      return seen.size() < 3;
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_THAT(seen, ElementsAre(1, 2, 3));
  }
  EXPECT_EQ((*reader)->ReadRows(1, [](const Row&) { return true; }).code(),
            ErrorCode::kInvalidArgument);
}

TEST(XlsxReaderTest, ReadsWithoutPrefetchingToo) {
  auto path = WriteScratchFile("plain.xlsx", OneSheet(R"(<row><c><v>1</v></c></row>)").Build());
  XlsxReaderOptions options;
  options.prefetch = false;
  auto reader = OpenXlsx(path, Limits(), "", options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto rows = ReadAllRows(**reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(CellTexts(*rows), (Texts{{"1"}}));
}

// --- Hostile and broken files -------------------------------------------------------------

void ExpectError(const Status& status, ErrorCode code, const std::vector<std::string>& fragments) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  for (const std::string& fragment : fragments) {
    EXPECT_THAT(status.message(), HasSubstr(fragment));
  }
}

constexpr std::string_view kBillionLaughs =
    R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)"
    R"(<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)"
    R"(<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">)"
    R"(<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>)";

TEST(XlsxReaderTest, RefusesADoctypeInTheSheet) {
  XlsxPackage package;
  package.sheets = {std::string(kBillionLaughs) +
                    R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c>)"
                    R"(</row></sheetData></worksheet>)"};
  auto rows = ReadFirstSheet(package);
  ExpectError(rows.status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the sheet 'Sheet1' (xl/worksheets/sheet1.xml) contains a DOCTYPE",
               "spreadsheets never do"});
}

TEST(XlsxReaderTest, RefusesAnExternalEntityInTheSharedStrings) {
  constexpr std::string_view kExternal =
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)";
  XlsxPackage package = OneSheet(R"(<row><c t="s"><v>0</v></c></row>)");
  package.shared_strings = std::string(kExternal) + "<sst><si><t>&e;</t></si></sst>";
  auto reader = OpenBytes(package.Build());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const Status status = ReadAllRows(**reader).status();
  ExpectError(status, ErrorCode::kInvalidArgument,
              {"the shared strings (xl/sharedStrings.xml) contains a DOCTYPE"});
  EXPECT_THAT(status.message(), Not(HasSubstr("root:")));
}

TEST(XlsxReaderTest, RefusesADoctypeInTheWorkbook) {
  ZipBuilder zip;
  zip.Add("xl/workbook.xml",
          std::string(kBillionLaughs) +
              R"(<workbook xmlns:r="r"><sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/>)"
              R"(</sheets></workbook>)");
  ExpectError(OpenBytes(zip.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the workbook (xl/workbook.xml) contains a DOCTYPE"});
}

TEST(XlsxReaderTest, RefusesUnknownEntities) {
  auto rows =
      ReadFirstSheet(OneSheet(R"(<row><c t="inlineStr"><is><t>a&nbsp;b</t></is></c></row>)"));
  ExpectError(rows.status(), ErrorCode::kInvalidArgument,
              {"(xl/worksheets/sheet1.xml) is not well-formed XML at line 2", "&nbsp;"});
}

TEST(XlsxReaderTest, RefusesAZipBombByItsInflatedBytes) {
  // 64 MiB of "XML" in 64 KiB of deflate: the ratio limit (100) applies above 16 MiB.
  ZipBuilder hand;
  hand.Add(
      "xl/workbook.xml",
      R"(<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="a"/></sheets></workbook>)");
  hand.Add(
      "xl/_rels/workbook.xml.rels",
      R"(<Relationships><Relationship Id="a" Type="x/worksheet" Target="worksheets/s.xml"/></Relationships>)");
  hand.AddZeros("xl/worksheets/s.xml", uint64_t{64} << 20, std::nullopt, "<worksheet><sheetData>");
  auto reader = OpenBytes(hand.Build());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ExpectError(ReadAllRows(**reader).status(), ErrorCode::kResourceExhausted,
              {"staff.xlsx: xl/worksheets/s.xml inflates more than 100 times", "zip bomb"});

  // The absolute limit, with a declared size that lies.
  ZipBuilder lying;
  lying.Add(
      "xl/workbook.xml",
      R"(<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="a"/></sheets></workbook>)");
  lying.Add(
      "xl/_rels/workbook.xml.rels",
      R"(<Relationships><Relationship Id="a" Type="x/worksheet" Target="worksheets/s.xml"/></Relationships>)");
  lying.AddZeros("xl/worksheets/s.xml", uint64_t{16} << 20, 100, "<worksheet><sheetData>");
  Limits limits;
  limits.max_inflated_bytes = int64_t{4} << 20;
  auto lied = OpenBytes(lying.Build(), limits);
  ASSERT_TRUE(lied.ok()) << lied.status().ToString();
  ExpectError(ReadAllRows(**lied).status(), ErrorCode::kResourceExhausted,
              {"xl/worksheets/s.xml inflates to more than 4,194,304 bytes", "zip bomb"});
}

TEST(XlsxReaderTest, RefusesATruncatedZip) {
  const std::string whole = OneSheet(R"(<row><c><v>1</v></c></row>)").Build();
  for (size_t keep : {whole.size() / 2, whole.size() - 10, size_t{30}, size_t{0}}) {
    ExpectError(OpenBytes(whole.substr(0, keep)).status(), ErrorCode::kInvalidArgument,
                {"staff.xlsx is not a readable zip archive", "truncated"});
  }
}

TEST(XlsxReaderTest, RefusesWhatIsNotAZip) {
  ExpectError(OpenBytes("name,email\nAnna,anna@example.com\n").status(),
              ErrorCode::kInvalidArgument, {"staff.xlsx is not a readable zip archive"});
}

TEST(XlsxReaderTest, RefusesAFileOverTheSizeLimit) {
  Limits limits;
  limits.max_file_bytes = 100;
  ExpectError(OpenBytes(OneSheet("").Build(), limits).status(), ErrorCode::kResourceExhausted,
              {"staff.xlsx has", "bytes; a file may have at most 100"});
}

int64_t MaxRssKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(XlsxReaderTest, AGiganticDimensionClaimCostsNothing) {
  std::string data;
  for (int i = 1; i <= 2000; ++i) {
    data += "<row r=\"" + std::to_string(i) + "\"><c r=\"A" + std::to_string(i) +
            "\"><v>1</v></c></row>";
  }
  XlsxPackage package;
  package.sheets = {
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<dimension ref="A1:XFD1048576"/><sheetData>)" +
      data + "<row r=\"1048576\"/></sheetData></worksheet>"};
  const int64_t before = MaxRssKilobytes();
  auto rows = ReadFirstSheet(package);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 2000u);
  EXPECT_LT(MaxRssKilobytes() - before, 32 * 1024) << "kilobytes";
}

TEST(XlsxReaderTest, RefusesAnOverlongCellWherever) {
  const std::string long_text(100'000, 'x');
  const std::vector<XlsxPackage> packages = {
      OneSheet(R"(<row r="7"><c r="B7" t="inlineStr"><is><t>)" + long_text + "</t></is></c></row>"),
      OneSheet(R"(<row r="7"><c r="B7" t="s"><v>0</v></c></row>)", {"<t>" + long_text + "</t>"}),
      OneSheet(R"(<row r="7"><c r="B7" t="str"><v>)" + long_text + "</v></c></row>"),
  };
  for (const XlsxPackage& package : packages) {
    ExpectError(ReadFirstSheet(package).status(), ErrorCode::kResourceExhausted,
                {"staff.xlsx: Sheet1!B7 has 100,000 characters; a cell may have at most 32,767"});
  }
  // Exactly the limit is fine, and characters are counted, not bytes.
  std::string at_limit;
  for (int i = 0; i < 32'767; ++i) at_limit += "é";
  auto rows = ReadFirstSheet(
      OneSheet(R"(<row><c t="inlineStr"><is><t>)" + at_limit + "</t></is></c></row>"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].cells[0].text, at_limit);
}

TEST(XlsxReaderTest, RefusesAColumnBeyondXfd) {
  ExpectError(ReadFirstSheet(OneSheet(R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)")).status(),
              ErrorCode::kResourceExhausted,
              {"staff.xlsx: Sheet1!XFE1 is beyond column XFD", "16,384 columns"});
  ExpectError(
      ReadFirstSheet(OneSheet(R"(<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c></row>)")).status(),
      ErrorCode::kInvalidArgument, {"the cell reference 'ZZZZZZZZ1' is not valid"});
}

TEST(XlsxReaderTest, RefusesRowsBeyondTheLimit) {
  Limits limits;
  limits.max_rows = 3;
  std::string data;
  for (int i = 1; i <= 4; ++i) data += "<row><c><v>1</v></c></row>";
  auto rows = ReadFirstSheet(OneSheet(data), limits);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();  // a header and 3 data rows
  data += "<row><c><v>1</v></c></row>";
  ExpectError(ReadFirstSheet(OneSheet(data), limits).status(), ErrorCode::kResourceExhausted,
              {"the sheet 'Sheet1' has cells in row 5", "at most 3 data rows"});
  ExpectError(
      ReadFirstSheet(OneSheet(R"(<row r="1000000000000000"><c><v>1</v></c></row>)")).status(),
      ErrorCode::kInvalidArgument, {"the row number '1000000000000000' is not valid"});
}

TEST(XlsxReaderTest, RefusesASharedStringIndexOutOfRange) {
  ExpectError(ReadFirstSheet(OneSheet(R"(<row r="2"><c r="A2" t="s"><v>5</v></c></row>)",
                                      {"<t>a</t>", "<t>b</t>"}))
                  .status(),
              ErrorCode::kInvalidArgument,
              {"staff.xlsx: Sheet1!A2 refers to shared string 5, but the workbook has only 2"});
  ExpectError(ReadFirstSheet(OneSheet(R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row>)")).status(),
              ErrorCode::kInvalidArgument, {"Sheet1!A2 refers to shared string 0", "only 0"});
}

TEST(XlsxReaderTest, RefusesImpossibleValues) {
  ExpectError(ReadFirstSheet(OneSheet(R"(<row><c r="B1"><v>abc</v></c></row>)")).status(),
              ErrorCode::kInvalidArgument, {"Sheet1!B1 holds 'abc', which is not a number"});
  ExpectError(ReadFirstSheet(OneSheet(R"(<row><c t="b"><v>maybe</v></c></row>)")).status(),
              ErrorCode::kInvalidArgument, {"Sheet1!A1 holds 'maybe'", "boolean"});
  ExpectError(ReadFirstSheet(OneSheet("<row><c t=\"inlineStr\"><is><t>\xC3\x28</t></is></c></row>"))
                  .status(),
              ErrorCode::kInvalidArgument, {"Sheet1!A1 is not valid UTF-8"});
  ExpectError(ReadFirstSheet(OneSheet(R"(<row r="3"><c><v>1</v></c></row><row r="2"/>)")).status(),
              ErrorCode::kInvalidArgument, {"has row 2 after row 3"});
}

TEST(XlsxReaderTest, NamesThePartOfMalformedXml) {
  XlsxPackage package;
  package.sheets = {"<?xml version=\"1.0\"?>\n<worksheet>\n<sheetData><row><c></row>"};
  ExpectError(ReadFirstSheet(package).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the sheet 'Sheet1' (xl/worksheets/sheet1.xml) is not well-formed "
               "XML at line 3"});
  package.sheets = {"<?xml version=\"1.0\"?>\n<worksheet>\n<sheetData><row><c><v>1</v></c>"};
  ExpectError(ReadFirstSheet(package).status(), ErrorCode::kInvalidArgument,
              {"not well-formed XML at line 3", "probably truncated"});
  package.sheets = {WorksheetXml("")};
  package.shared_strings = "<sst><si><t>a</si></sst>";
  ExpectError(ReadFirstSheet(package).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the shared strings (xl/sharedStrings.xml) is not well-formed XML at "
               "line 1"});
  package.shared_strings.reset();
  package.styles = "<styleSheet><cellXfs></styleSheet>";
  ExpectError(OpenBytes(package.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the styles (xl/styles.xml) is not well-formed XML at line 1"});
}

TEST(XlsxReaderTest, RefusesMissingParts) {
  ZipBuilder no_workbook;
  no_workbook.Add("[Content_Types].xml", "<Types/>");
  ExpectError(OpenBytes(no_workbook.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx has no workbook part (xl/workbook.xml is missing)"});

  ZipBuilder no_sheet;
  no_sheet.Add(
      "xl/workbook.xml",
      R"(<workbook xmlns:r="r"><sheets><sheet name="Staff" sheetId="1" r:id="a"/></sheets></workbook>)");
  no_sheet.Add(
      "xl/_rels/workbook.xml.rels",
      R"(<Relationships><Relationship Id="a" Type="x/worksheet" Target="worksheets/gone.xml"/></Relationships>)");
  ExpectError(OpenBytes(no_sheet.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the sheet 'Staff' (xl/worksheets/gone.xml) is missing from the file"});

  ZipBuilder outside;  // a target above the package's root names no part of it
  outside.Add(
      "xl/workbook.xml",
      R"(<workbook xmlns:r="r"><sheets><sheet name="Staff" sheetId="1" r:id="a"/></sheets></workbook>)");
  outside.Add(
      "xl/_rels/workbook.xml.rels",
      R"(<Relationships><Relationship Id="a" Type="x/worksheet" Target="../../etc/passwd"/></Relationships>)");
  ExpectError(OpenBytes(outside.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the sheet 'Staff' points to ../../etc/passwd, outside the file"});

  ZipBuilder no_relationship;
  no_relationship.Add(
      "xl/workbook.xml",
      R"(<workbook xmlns:r="r"><sheets><sheet name="Staff" sheetId="1" r:id="a"/></sheets></workbook>)");
  ExpectError(OpenBytes(no_relationship.Build()).status(), ErrorCode::kInvalidArgument,
              {"lists the sheet 'Staff' with the relationship a"});

  ZipBuilder no_sheets;
  no_sheets.Add("xl/workbook.xml", R"(<workbook><sheets/></workbook>)");
  ExpectError(OpenBytes(no_sheets.Build()).status(), ErrorCode::kInvalidArgument,
              {"staff.xlsx: the workbook has no sheets"});
}

}  // namespace
}  // namespace roster::sheet
