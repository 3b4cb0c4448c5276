#include "import/column_mapping.h"

#include <gtest/gtest.h>

#include <set>

namespace roster::import {
namespace {

TEST(ColumnMappingTest, FoldsCaseAccentsSpacesPunctuationAndBom) {
  struct Case {
    std::string header;
    std::string folded;
  };
  for (const Case& c : std::vector<Case>{
           {"E-Mail-Adresse", "emailadresse"},
           {"Email address", "emailaddress"},
           {"EMAIL ", "email"},
           {"\xEF\xBB\xBF"
            "Email",
            "email"},  // a BOM glued to the first header
           {"Prénom", "prenom"},
           {"Straße", "strasse"},
           {"  Nom de famille: ", "nomdefamille"},
           {"E_Mail", "email"},
           {"Ｅｍａｉｌ", "email"},  // full-width letters
           {"", ""},
           {"\xFF\xFE", ""},  // not UTF-8
       }) {
    EXPECT_EQ(FoldHeader(c.header), c.folded) << c.header;
  }
}

TEST(ColumnMappingTest, EveryFoldedSpellingNamesOneAttribute) {
  std::map<std::string, Attribute> seen;
  for (const AttributeSpec& spec : AttributeTable()) {
    std::vector<std::string_view> spellings(spec.header_spellings.begin(),
                                            spec.header_spellings.end());
    spellings.push_back(spec.template_header);
    for (std::string_view spelling : spellings) {
      auto [it, inserted] = seen.emplace(FoldHeader(spelling), spec.attribute);
      EXPECT_TRUE(inserted || it->second == spec.attribute)
          << spelling << " folds like a spelling of " << SpecOf(it->second).key;
    }
  }
}

TEST(ColumnMappingTest, MapsCommonSpellingsInThreeLanguages) {
  struct Case {
    std::string header;
    std::optional<Attribute> attribute;
  };
  for (const Case& c : std::vector<Case>{
           {"E-Mail-Adresse", Attribute::kEmail},
           {"Email address", Attribute::kEmail},
           {"Courriel", Attribute::kEmail},
           {"EMAIL ", Attribute::kEmail},
           {"Adresse e-mail", Attribute::kEmail},
           {"Vorname", Attribute::kFirstName},
           {"Prénom", Attribute::kFirstName},
           {"Nachname", Attribute::kLastName},
           {"Nom", Attribute::kLastName},
           {"Abteilung", Attribute::kDepartment},
           {"Standort", Attribute::kLocation},
           {"Sprache", Attribute::kLanguage},
           {"Personalnummer", Attribute::kEmployeeId},
           {"Roster ID", Attribute::kRosterId},
           {"ID", std::nullopt},  // HR's own numbers, never the Roster ID
           {"Shoe size", std::nullopt},
       }) {
    EXPECT_EQ(AttributeForHeader(c.header), c.attribute) << c.header;
  }
}

TEST(ColumnMappingTest, TemplateHeadersMapEveryColumn) {
  std::vector<std::string> headers;
  for (const AttributeSpec& spec : AttributeTable()) headers.emplace_back(spec.template_header);
  ColumnMapping mapping = ColumnMapping::Automatic(headers);
  EXPECT_TRUE(mapping.FromTemplate());
  for (const AttributeSpec& spec : AttributeTable()) {
    ASSERT_TRUE(mapping.ColumnOf(spec.attribute).has_value()) << spec.key;
  }
}

TEST(ColumnMappingTest, ListsUnmappedColumnsWithTheReason) {
  ColumnMapping mapping = ColumnMapping::Automatic({"Personalnr.", "E-Mail", "", "Mail"});
  ASSERT_EQ(mapping.columns().size(), 4u);
  EXPECT_EQ(mapping.ColumnOf(Attribute::kEmail), 1);
  EXPECT_FALSE(mapping.FromTemplate());
  EXPECT_EQ(mapping.columns()[0].note, "no attribute has this header");
  EXPECT_EQ(mapping.columns()[1].source, MappingSource::kSpelling);
  EXPECT_EQ(mapping.columns()[2].note, "the column has no header");
  EXPECT_EQ(mapping.columns()[3].note, "Email is already mapped from column B");
}

TEST(ColumnMappingTest, ExactTemplateHeaderWinsOverAnEarlierSpelling) {
  ColumnMapping mapping = ColumnMapping::Automatic({"mail", "Email"});
  EXPECT_EQ(mapping.ColumnOf(Attribute::kEmail), 1);
  EXPECT_EQ(mapping.columns()[1].source, MappingSource::kTemplate);
}

TEST(ColumnMappingTest, ManualAssignmentOverridesAndMoves) {
  ColumnMapping mapping = ColumnMapping::Automatic({"E-Mail", "Private address"});
  ASSERT_TRUE(mapping.Assign("private address", Attribute::kEmail).ok());
  EXPECT_EQ(mapping.ColumnOf(Attribute::kEmail), 1);
  EXPECT_EQ(mapping.columns()[1].source, MappingSource::kManual);
  EXPECT_FALSE(mapping.columns()[0].attribute.has_value());

  Status missing = mapping.Assign("Mobile", Attribute::kEmail);
  EXPECT_EQ(missing.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.message(),
            "the header row has no column \"Mobile\"; its columns are \"E-Mail\", "
            "\"Private address\"");
  mapping.Unassign(Attribute::kEmail);
  EXPECT_FALSE(mapping.ColumnOf(Attribute::kEmail).has_value());
}

}  // namespace
}  // namespace roster::import
