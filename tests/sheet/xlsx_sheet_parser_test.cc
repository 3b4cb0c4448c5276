#include "sheet/xlsx_sheet_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sheet/support/scratch_file.h"
#include "sheet/support/zip_builder.h"

namespace roster::sheet {
namespace {

using testing::CellTexts;
using testing::RowNumbers;
using Texts = std::vector<std::vector<std::string>>;

// Every construct the scanner knows, to be cut at every possible place.
const std::string kSheet =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    "<!-- a comment with <row> inside -->"
    "<x:worksheet xmlns:x=\"urn:x\" xmlns:r=\"urn:r\"><x:dimension ref=\"A1:XFD1048576\"/>"
    "<x:sheetData>\n"
    "  <x:row r=\"1\" spans=\"1:3\"><x:c r=\"A1\" t=\"s\"><x:v>1</x:v></x:c>"
    "<x:c r=\"B1\" t='inlineStr' ><x:is><x:r><x:t xml:space=\"preserve\">a &amp; b</x:t></x:r>"
    "<x:rPh><x:t>skip</x:t></x:rPh><x:t>&#x41;&#66;_x000D_</x:t></x:is></x:c>"
    "<x:c r=\"C1\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v><![CDATA[<raw>&amp;]]></x:v></x:c>"
    "</x:row>\n"
    "  <x:row><x:c s=\"1\"><x:v>45352</x:v></x:c><x:c/><x:c t=\"b\"><x:v>1</x:v></x:c>"
    "<x:c t=\"e\"><x:v>#REF!</x:v></x:c></x:row>\r\n"
    "  <x:row r=\"9\"><x:c r=\"E9\"><x:v>-0.25</x:v></x:c></x:row>"
    "</x:sheetData><x:mergeCells count=\"0\"/></x:worksheet>";

const Texts kExpected = {{"one", "a & bAB\r", "<raw>&amp;"},
                         {"2024-03-01", "", "TRUE", "#REF!"},
                         {"", "", "", "", "-0.25"}};

struct Fixture {
  SharedStrings strings;
  XlsxStyles styles{std::vector<bool>{false, true}};
  XlsxSheetContext context;

  Fixture() {
    EXPECT_TRUE(strings.Add("zero").ok());
    EXPECT_TRUE(strings.Add("one").ok());
    context.display_name = "t.xlsx";
    context.sheet_name = "Sheet1";
    context.part_context = "t.xlsx: the sheet 'Sheet1' (s.xml)";
    context.shared_strings = &strings;
    context.styles = &styles;
  }

  Result<std::vector<Row>> Read(std::string_view xml, size_t piece) {
    StringByteReader reader(xml, piece);
    std::vector<Row> rows;
    const Status status = ReadXlsxSheet(reader, context, [&](const Row& row) {
      rows.push_back(row);
      return true;
    });
    if (!status.ok()) return status;
    return rows;
  }
};

std::string WithoutPrefix(std::string xml) {
  for (const std::string from : {"<x:", "</x:"}) {
    for (size_t at = xml.find(from); at != std::string::npos; at = xml.find(from, at)) {
      xml.replace(at, from.size(), from.substr(0, from.size() - 2));
    }
  }
  return xml;
}

TEST(XlsxSheetParserTest, ReadsTheSameWhereverTheInputIsCut) {
  Fixture fixture;
  // Unprefixed, most cells take the scanner's fast path; prefixed, none do.
  for (const std::string& sheet : {kSheet, WithoutPrefix(kSheet)}) {
    for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{7}, size_t{13},
                         size_t{64}, size_t{1000}, sheet.size()}) {
      auto rows = fixture.Read(sheet, piece);
      ASSERT_TRUE(rows.ok()) << piece << ": " << rows.status().ToString();
      EXPECT_EQ(CellTexts(*rows), kExpected) << piece;
      EXPECT_EQ(RowNumbers(*rows), (std::vector<int64_t>{1, 2, 9})) << piece;
    }
  }
}

TEST(XlsxSheetParserTest, ReadsLongTextHandedOutInPieces) {
  // Text longer than the scanner's text piece (64 KiB), with references and CR LF near the
  // cuts, must come out whole.
  std::string text;
  std::string expected;
  while (text.size() < 200'000) {
    text += "abc&amp;&#x263A;\r\n";
    expected += "abc&\xE2\x98\xBA\n";
  }
  Fixture fixture;
  fixture.context.limits.max_cell_chars = 1'000'000;
  const std::string xml = "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>" + text +
                          "</t></is></c></row></sheetData></worksheet>";
  for (size_t piece : {size_t{999}, size_t{1} << 20}) {
    auto rows = fixture.Read(xml, piece);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].cells[0].text, expected);
  }
}

TEST(XlsxSheetParserTest, RefusesMalformedXml) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<worksheet><sheetData><row></c></row></sheetData></worksheet>",
       "the end tag </c> does not match"},
      {"<worksheet><sheetData><row><c r=A1/></row></sheetData></worksheet>", "not in quotes"},
      {"<worksheet><sheetData><row><c r=\"A1\"t=\"s\"/></row></sheetData></worksheet>",
       "malformed attribute"},
      {"<worksheet><sheetData><row><c r></row></sheetData></worksheet>", "has no value"},
      {"<worksheet><sheetData><row><c r=\"A<1\"/></row></sheetData></worksheet>",
       "'<' inside the value"},
      {"<worksheet/><worksheet/>", "a second root element"},
      {"text<worksheet/>", "text outside the root element"},
      {"<worksheet><sheetData>", "probably truncated"},
      {"<worksheet><sheetData><row", "ends inside a tag"},
      {"", "has no XML element"},
      {"<worksheet><!ELEMENT x></worksheet>", "unexpected '<!'"},
      {"<worksheet>< sheetData/></worksheet>", "does not begin a tag"},
      {"<worksheet><c t=\"inlineStr\"><is><t>a & b</t></is></c></worksheet>", ""},
      {"<worksheet><sheetData><c/></sheetData></worksheet>", "a cell <c> outside a row"},
      {"<worksheet><sheetData><row><row/></row></sheetData></worksheet>", "a row inside a row"},
      {"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&#0;</t></is></c></row>"
       "</sheetData></worksheet>",
       "'&#0;' is not one of XML's references"},
      {"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>a & b</t></is></c></row>"
       "</sheetData></worksheet>",
       "unterminated reference"},
  };
  Fixture fixture;
  for (const auto& [xml, fragment] : cases) {
    if (fragment.empty()) continue;  // outside sheetData nothing is decoded: fine
    auto rows = fixture.Read(xml, 3);
    EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidArgument) << xml;
    EXPECT_NE(rows.status().message().find(fragment), std::string::npos)
        << xml << " -> " << rows.status().message();
    EXPECT_NE(rows.status().message().find("t.xlsx: the sheet 'Sheet1' (s.xml)"), std::string::npos)
        << rows.status().message();
  }
}

TEST(XlsxSheetParserTest, RefusesDeepNestingAndHugeTags) {
  Fixture fixture;
  std::string deep = "<worksheet>";
  for (int i = 0; i < 300; ++i) deep += "<a>";
  auto rows = fixture.Read(deep, 1 << 20);
  EXPECT_EQ(rows.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("nested deeper than 256"), std::string::npos);

  const std::string huge = "<worksheet><sheetData><row " + std::string(3 << 20, ' ') + "/>";
  rows = fixture.Read(huge, 1 << 20);
  EXPECT_EQ(rows.status().code(), ErrorCode::kResourceExhausted) << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("longer than 1,048,576 bytes"), std::string::npos);
}

// Deterministic mutation fuzzing: whatever the bytes, the scanner returns rows or a Status,
// never crashes (ASan/UBSan run this in the debug build).
TEST(XlsxSheetParserTest, SurvivesMutatedInput) {
  Fixture fixture;
  std::mt19937 random(20240301);
  const std::string alphabet = "<>/=\"'&;#x:![]?- \n\rA1cvrtsis\xEF\xBB\xBF\xC3";
  int failures = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string xml = round % 2 == 0 ? kSheet : WithoutPrefix(kSheet);
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % xml.size();
      switch (random() % 3) {
        case 0: xml[at] = alphabet[random() % alphabet.size()]; break;
        case 1: xml.erase(at, 1 + random() % 8); break;
        default: xml.insert(at, 1, alphabet[random() % alphabet.size()]); break;
      }
      if (xml.empty()) xml = "<";
    }
    auto rows = fixture.Read(xml, 1 + random() % 64);
    failures += rows.ok() ? 0 : 1;
  }
  EXPECT_GT(failures, 0);
}

}  // namespace
}  // namespace roster::sheet
