#include "core/attribute.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace roster {
namespace {

TEST(AttributeTest, TableFollowsTheEnumAndKeysAreUnique) {
  std::set<std::string_view> keys;
  std::set<std::string_view> headers;
  for (size_t i = 0; i < AttributeTable().size(); ++i) {
    const AttributeSpec& spec = AttributeTable()[i];
    EXPECT_EQ(static_cast<size_t>(spec.attribute), i);
    EXPECT_EQ(&SpecOf(spec.attribute), &spec);
    EXPECT_TRUE(keys.insert(spec.key).second) << spec.key;
    EXPECT_TRUE(headers.insert(spec.template_header).second) << spec.template_header;
    EXPECT_FALSE(spec.note.empty()) << spec.key;
  }
}

TEST(AttributeTest, NoSpellingMapsToTwoAttributes) {
  std::set<std::string_view> spellings;
  for (const AttributeSpec& spec : AttributeTable()) {
    for (std::string_view spelling : spec.header_spellings) {
      EXPECT_TRUE(spellings.insert(spelling).second) << spelling << " is ambiguous";
    }
  }
}

TEST(AttributeTest, RequiredAttributesPerMode) {
  std::set<std::string_view> add_update, remove;
  for (const AttributeSpec& spec : AttributeTable()) {
    if (spec.required_for_add_update) add_update.insert(spec.key);
    if (spec.required_for_delete) remove.insert(spec.key);
  }
  EXPECT_EQ(add_update, (std::set<std::string_view>{"email", "first_name", "last_name"}));
  EXPECT_EQ(remove, (std::set<std::string_view>{"email"}));
}

TEST(AttributeTest, FindsAttributesByKey) {
  EXPECT_EQ(AttributeFromKey("email"), Attribute::kEmail);
  EXPECT_EQ(AttributeFromKey("groups"), Attribute::kGroups);
  EXPECT_EQ(AttributeFromKey("id"), Attribute::kRosterId);
  EXPECT_EQ(AttributeFromKey("Email"), std::nullopt);
  EXPECT_EQ(AttributeFromKey(""), std::nullopt);
}

TEST(AttributeTest, EmailHasGermanAndFrenchSpellings) {
  const auto& spellings = SpecOf(Attribute::kEmail).header_spellings;
  for (std::string_view wanted : {"e-mail-adresse", "courriel", "email address"}) {
    EXPECT_NE(std::find(spellings.begin(), spellings.end(), wanted), spellings.end()) << wanted;
  }
}

TEST(AttributeTest, KnowsIsoLanguageCodes) {
  for (std::string_view code : {"de", "en", "fr", "zh", "aa", "zu", "nb"}) {
    EXPECT_TRUE(IsIsoLanguageCode(code)) << code;
  }
  for (std::string_view code : {"", "d", "DE", "deu", "xx", "german", "en-US"}) {
    EXPECT_FALSE(IsIsoLanguageCode(code)) << code;
  }
}

}  // namespace
}  // namespace roster
