// `roster template` as admins use it: the real binary writes the template, which is read
// back through OpenWorkbook and must map itself completely (every column from its exact
// template header), with a note per header and the drop-down lists.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/attribute.h"
#include "import/column_mapping.h"
#include "sheet/workbook_reader.h"
#include "support/run_roster.h"
#include "support/temp_dir.h"
#include "support/unzip_member.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using testing::RunOutput;

using testing::UnzipMember;

// The texts of row 1 of the first sheet.
std::vector<std::string> HeaderRow(const std::string& path, std::string* sheet_name) {
  Result<std::unique_ptr<sheet::WorkbookReader>> reader = sheet::OpenWorkbook(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  *sheet_name = (*reader)->sheets().at(0).name;
  std::vector<std::string> headers;
  int64_t rows = 0;
  Status read = (*reader)->ReadRows(0, [&](const sheet::Row& row) {
    ++rows;
    if (row.number == 1) {
      for (const sheet::Cell& cell : row.cells) headers.push_back(cell.text);
    }
    return true;
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(rows, 1) << "the template holds only the header row";
  return headers;
}

// The comma-separated choices of the list validation whose formula starts with `first`.
std::vector<std::string> ListStartingWith(const std::string& sheet_xml, const std::string& first) {
  const std::string open = "<formula1>\"" + first;
  size_t at = sheet_xml.find(open);
  if (at == std::string::npos) return {};
  at += std::string("<formula1>\"").size();
  const std::string list = sheet_xml.substr(at, sheet_xml.find('"', at) - at);
  std::vector<std::string> choices;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    choices.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return choices;
}

class TemplateCliTest : public ::testing::Test {
 protected:
  RunOutput Roster(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", "sqlite:" + dir_.File("roster.db")});
    return testing::RunRoster(args);
  }

  testing::TempDir dir_;
};

TEST_F(TemplateCliTest, AddUpdateTemplateMapsEveryAttributeFromItsExactHeader) {
  const std::string path = dir_.File("template.xlsx");
  RunOutput run = Roster({"template", "--output", path});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("wrote the add-update template to " + path));

  std::string sheet_name;
  std::vector<std::string> headers = HeaderRow(path, &sheet_name);
  EXPECT_EQ(sheet_name, "Users");
  std::vector<std::string> expected;
  for (const AttributeSpec& spec : AttributeTable()) expected.emplace_back(spec.template_header);
  ASSERT_EQ(headers, expected);
  EXPECT_EQ(headers.front(), "Roster ID");

  import::ColumnMapping mapping = import::ColumnMapping::Automatic(headers);
  EXPECT_TRUE(mapping.FromTemplate());
  for (const AttributeSpec& spec : AttributeTable()) {
    EXPECT_TRUE(mapping.ColumnOf(spec.attribute).has_value()) << spec.key;
  }
}

TEST_F(TemplateCliTest, HeadersCarryNotesAndChoiceColumnsDropDowns) {
  const std::string path = dir_.File("template.xlsx");
  ASSERT_EQ(Roster({"template", "--mode", "add-update", "--output", path}).exit_code, 0);

  const std::string comments = UnzipMember(path, "xl/comments1.xml");
  for (const AttributeSpec& spec : AttributeTable()) {
    EXPECT_THAT(comments, HasSubstr(std::string(spec.note))) << spec.key;
  }
  EXPECT_THAT(comments, HasSubstr("the key that finds the user.\nRequired.</t>"));
  EXPECT_THAT(comments, HasSubstr("<t>Required when adding users.</t>"));
  EXPECT_THAT(comments, HasSubstr("(the default).\nOptional: empty keeps an existing user's "
                                  "value (a new user gets the default).</t>"));
  EXPECT_THAT(comments, HasSubstr("Roster accepts any two-letter ISO 639-1 code"));

  const std::string sheet = UnzipMember(path, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("<formula1>\"female,male,other\"</formula1>"));
  EXPECT_THAT(sheet, HasSubstr("<formula1>\"single,group\"</formula1>"));
  // Gender is column E, language G, address type H; every row below the header.
  EXPECT_THAT(sheet, HasSubstr("sqref=\"E2:E1048576\""));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"G2:G1048576\""));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"H2:H1048576\""));
  // The language list is a common subset that lets other codes through with a warning.
  EXPECT_THAT(sheet, HasSubstr("errorStyle=\"warning\""));
  std::vector<std::string> languages = ListStartingWith(sheet, "af,");
  EXPECT_GE(languages.size(), 60u);
  for (const char* code : {"de", "en", "fr", "es", "it", "pl", "zh", "ja"}) {
    EXPECT_THAT(languages, ::testing::Contains(code));
  }
  for (const std::string& code : languages) EXPECT_TRUE(IsIsoLanguageCode(code)) << code;
  EXPECT_THAT(sheet, HasSubstr("<col "));
}

TEST_F(TemplateCliTest, DeleteTemplateHasOnlyTheEmailColumn) {
  const std::string path = dir_.File("delete.xlsx");
  RunOutput run = Roster({"template", "--mode", "delete", "--output", path});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("delete template"));
  std::string sheet_name;
  std::vector<std::string> headers = HeaderRow(path, &sheet_name);
  ASSERT_EQ(headers, std::vector<std::string>{"Email"});
  import::ColumnMapping mapping = import::ColumnMapping::Automatic(headers);
  EXPECT_TRUE(mapping.FromTemplate());
  EXPECT_EQ(mapping.ColumnOf(Attribute::kEmail), 0);
  EXPECT_THAT(UnzipMember(path, "xl/comments1.xml"),
              HasSubstr("Required: the users with these addresses are deleted."));
}

TEST_F(TemplateCliTest, ImportReadsTheTemplateWithEveryColumnMapped) {
  ASSERT_EQ(
      Roster({"org", "create", "acme", "--name", "Acme", "--domain", "acme.example"}).exit_code, 0);
  const std::string path = dir_.File("template.xlsx");
  ASSERT_EQ(Roster({"template", "--output", path}).exit_code, 0);
  RunOutput run =
      Roster({"import", path, "--org", "acme", "--mode", "add-update", "--dry-run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["sheet"], "Users");
  EXPECT_EQ(json["rows"], 0);
  for (const AttributeSpec& spec : AttributeTable()) {
    EXPECT_EQ(json["mapping"][std::string(spec.key)], std::string(spec.template_header))
        << spec.key;
  }
}

TEST_F(TemplateCliTest, RefusesOtherEndingsAndModesWithTheOptionNamed) {
  RunOutput csv = Roster({"template", "--output", dir_.File("template.csv")});
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_THAT(csv.err,
              HasSubstr("--output '" + dir_.File("template.csv") + "' must name a .xlsx file"));
  RunOutput mode = Roster({"template", "--mode", "sync", "--output", dir_.File("t.xlsx")});
  EXPECT_EQ(mode.exit_code, 2);
  EXPECT_THAT(mode.err, HasSubstr("--mode 'sync' is unknown"));
  RunOutput missing = Roster({"template"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--output"));
  RunOutput nowhere = Roster({"template", "--output", dir_.File("no/such/dir/t.xlsx")});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_THAT(nowhere.err, HasSubstr("cannot write the workbook"));
}

}  // namespace
}  // namespace roster
