#include "sheet/ods_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sheet/support/scratch_file.h"
#include "sheet/support/zip_builder.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadAllRows;
using testing::RowNumbers;
using testing::WriteScratchFile;
using testing::ZipBuilder;
using Texts = std::vector<std::vector<std::string>>;

constexpr std::string_view kHead =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
    R"(xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" )"
    R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
    R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
    R"(xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">)"
    R"(<office:automatic-styles>)"
    R"(<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>)"
    R"(<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>)"
    R"(</office:automatic-styles><office:body><office:spreadsheet>)";
constexpr std::string_view kTail = "</office:spreadsheet></office:body></office:document-content>";

std::string Ods(std::string_view tables, std::string_view head = kHead) {
  ZipBuilder zip;
  zip.Add("mimetype", "application/vnd.oasis.opendocument.spreadsheet", false);
  zip.Add("content.xml", std::string(head) + std::string(tables) + std::string(kTail));
  zip.Add("META-INF/manifest.xml", "<manifest/>");
  return zip.Build();
}

std::string Table(std::string_view name, std::string_view rows, std::string_view style = "ta1") {
  return "<table:table table:name=\"" + std::string(name) + "\" table:style-name=\"" +
         std::string(style) + "\"><table:table-column table:number-columns-repeated=\"1024\"/>" +
         std::string(rows) + "</table:table>";
}

Result<std::unique_ptr<WorkbookReader>> OpenBytes(std::string_view bytes,
                                                  const Limits& limits = Limits()) {
  static int counter = 0;
  return OpenOds(WriteScratchFile("ods-" + std::to_string(++counter) + ".ods", bytes), limits,
                 "staff.ods");
}

Result<std::vector<Row>> ReadFirst(std::string_view rows, const Limits& limits = Limits()) {
  ROSTER_ASSIGN_OR_RETURN(auto reader, OpenBytes(Ods(Table("Staff", rows)), limits));
  return ReadAllRows(*reader, 0);
}

void ExpectError(const Status& status, ErrorCode code, const std::string& fragment) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(fragment));
}

TEST(OdsReaderTest, ReadsValuesOfEveryType) {
  auto rows = ReadFirst(
      R"(<table:table-row>)"
      R"(<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Anna</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="float" office:value="42"><text:p>42.00</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>01.03.24</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="date" office:date-value="2024-03-01T08:30:00"><text:p>x</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="string" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>)"
      R"(<table:table-cell office:value-type="string"><text:p>00123</text:p></table:table-cell>)"
      R"(</table:table-row>)");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(
      CellTexts(*rows),
      (Texts{{"Anna", "42", "0.5", "2024-03-01", "2024-03-01T08:30:00", "TRUE", "#N/A", "00123"}}));
  std::vector<CellType> types;
  for (const Cell& cell : (*rows)[0].cells) types.push_back(cell.type);
  EXPECT_THAT(types,
              ElementsAre(CellType::kText, CellType::kNumber, CellType::kNumber, CellType::kDate,
                          CellType::kDate, CellType::kBoolean, CellType::kError, CellType::kText));
}

TEST(OdsReaderTest, ReadsParagraphsSpacesSpansAndSkipsAnnotations) {
  auto rows = ReadFirst(
      R"(<table:table-row><table:table-cell office:value-type="string">)"
      R"(<office:annotation><text:p>a comment</text:p></office:annotation>)"
      R"(<text:p>first<text:s text:c="3"/>line <text:span text:style-name="T1">bold</text:span></text:p>)"
      R"(<text:p>second<text:s/>&amp;<text:tab/>&#x41;</text:p></table:table-cell></table:table-row>)");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"first   line bold\nsecond &\tA"}}));
}

TEST(OdsReaderTest, ExpandsRepeatsLazilyAndCoveredCells) {
  auto rows = ReadFirst(
      R"(<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/>)"
      R"(<table:table-cell office:value-type="string" table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell>)"
      R"(<table:table-cell table:number-columns-repeated="16380"/></table:table-row>)"
      R"(<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>)"
      R"(<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>m</text:p></table:table-cell>)"
      R"(<table:covered-table-cell/><table:table-cell office:value-type="float" office:value="3"/></table:table-row>)"
      R"(<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>)");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(CellTexts(*rows), (Texts{{"", "", "x", "x"}, {"", "", "x", "x"}, {"m", "", "3"}}));
  EXPECT_THAT(RowNumbers(*rows), ElementsAre(1, 2, 6));
}

TEST(OdsReaderTest, ListsSheetsWithHiddenOnesAndReadsEach) {
  auto reader = OpenBytes(Ods(
      Table(
          "Staff",
          R"(<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>)") +
      Table(
          "Secret",
          R"(<table:table-row><table:table-cell office:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row>)",
          "ta2")));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->type(), FileType::kOds);
  const auto& sheets = (*reader)->sheets();
  ASSERT_EQ(sheets.size(), 2u);
  EXPECT_EQ(sheets[0].name, "Staff");
  EXPECT_TRUE(sheets[0].visible);
  EXPECT_EQ(sheets[1].name, "Secret");
  EXPECT_FALSE(sheets[1].visible);
  auto second = ReadAllRows(**reader, 1);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(CellTexts(*second), (Texts{{"b"}}));
  auto first = ReadAllRows(**reader, 0);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(CellTexts(*first), (Texts{{"a"}}));
}

TEST(OdsReaderTest, ARepeatedNonEmptyCellCountsAgainstTheLimits) {
  const std::string cell =
      R"(<table:table-cell office:value-type="string" table:number-columns-repeated="20000"><text:p>x</text:p></table:table-cell>)";
  ExpectError(ReadFirst("<table:table-row>" + cell + "</table:table-row>").status(),
              ErrorCode::kResourceExhausted, "is beyond column XFD");
  Limits limits;
  limits.max_rows = 10;
  ExpectError(
      ReadFirst(
          R"(<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>)",
          limits)
          .status(),
      ErrorCode::kResourceExhausted, "the sheet 'Staff' has cells in row 12");
  const std::string long_text(40'000, 'y');
  ExpectError(
      ReadFirst(
          R"(<table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>)" +
          long_text + "</text:p></table:table-cell></table:table-row>")
          .status(),
      ErrorCode::kResourceExhausted,
      "staff.ods: Staff!B1 has 40,000 characters; a cell may have at most 32,767");
}

TEST(OdsReaderTest, RefusesHostileAndBrokenFiles) {
  ExpectError(
      OpenBytes(Ods("",
                    R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)"
                    R"(<office:document-content><office:body><office:spreadsheet>)"))
          .status(),
      ErrorCode::kInvalidArgument, "staff.ods: the content (content.xml) contains a DOCTYPE");
  ExpectError(OpenBytes(Ods("<table:table>")).status(), ErrorCode::kInvalidArgument,
              "staff.ods: the content (content.xml) is not well-formed XML at line 1");
  ExpectError(OpenBytes(Ods("")).status(), ErrorCode::kInvalidArgument,
              "staff.ods: the workbook has no sheets");
  ZipBuilder text_document;
  text_document.Add("mimetype", "application/vnd.oasis.opendocument.text", false);
  ExpectError(OpenBytes(text_document.Build()).status(), ErrorCode::kInvalidArgument,
              "not a spreadsheet");
  ZipBuilder no_content;
  no_content.Add("mimetype", "application/vnd.oasis.opendocument.spreadsheet", false);
  ExpectError(OpenBytes(no_content.Build()).status(), ErrorCode::kInvalidArgument,
              "staff.ods has no content.xml");
  const std::string whole = Ods(Table("S", ""));
  ExpectError(OpenBytes(whole.substr(0, whole.size() / 2)).status(), ErrorCode::kInvalidArgument,
              "staff.ods is not a readable zip archive");
  ZipBuilder bomb;
  bomb.Add("mimetype", "application/vnd.oasis.opendocument.spreadsheet", false);
  bomb.AddZeros("content.xml", uint64_t{32} << 20, std::nullopt, "<office:document-content>", ' ');
  ExpectError(OpenBytes(bomb.Build()).status(), ErrorCode::kResourceExhausted,
              "staff.ods: content.xml inflates more than 100 times");
}

TEST(OdsReaderTest, StopsWhenTheCallbackSaysSo) {
  auto reader = OpenBytes(Ods(Table(
      "S",
      R"(<table:table-row table:number-rows-repeated="100"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>)")));
  ASSERT_TRUE(reader.ok());
  int seen = 0;
  ASSERT_TRUE((*reader)->ReadRows(0, [&](const Row&) { return ++seen < 5; }).ok());
  EXPECT_EQ(seen, 5);
}

}  // namespace
}  // namespace roster::sheet
