#include "json/json_shapes.h"

#include <gtest/gtest.h>

#include <string>

namespace roster {
namespace {

TEST(JsonShapesTest, AnAdminNeverShowsItsPasswordHash) {
  Admin admin{3, 7, "jane@acme.example", "$argon2id$secret", AdminRole::kOwner, 1'700'000'000};
  nlohmann::json json = ToJson(admin);
  EXPECT_EQ(json, (nlohmann::json{{"id", 3},
                                  {"email", "jane@acme.example"},
                                  {"role", "owner"},
                                  {"created_at", 1'700'000'000}}));
  EXPECT_EQ(Dump(json).find("argon2id"), std::string::npos);
}

TEST(JsonShapesTest, AnOrganizationShowsItsDomains) {
  Organization organization{7, "acme", "Acme", "de", {"acme.example", "acme.test"}};
  EXPECT_EQ(ToJson(organization), (nlohmann::json{{"id", 7},
                                                  {"slug", "acme"},
                                                  {"name", "Acme"},
                                                  {"default_language", "de"},
                                                  {"domains", {"acme.example", "acme.test"}}}));
}

TEST(JsonShapesTest, AuditDetailsAreJsonWhenTheyParseAndTextWhenNot) {
  AuditEvent parsed{1, "jane@acme.example", "import", 5, R"({"rows":2})", 2};
  EXPECT_EQ(ToJson(parsed)["details"], (nlohmann::json{{"rows", 2}}));
  AuditEvent text{2, "jane@acme.example", "import", 5, "not json", 0};
  EXPECT_EQ(ToJson(text)["details"], "not json");
}

TEST(JsonShapesTest, DumpReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(Dump(nlohmann::json{{"name", std::string("a\xff") + "b"}}),
            "{\"name\":\"a\xEF\xBF\xBD"
            "b\"}");
}

}  // namespace
}  // namespace roster
