#include "core/user_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/text.h"

namespace roster {
namespace {

using ::testing::HasSubstr;

Organization Acme() { return {1, "acme", "Acme", "de", {"acme.example", "xn--bcher-kva.example"}}; }

User Valid() {
  User user;
  user.email = "  Anna.Schmidt@acme.example ";
  user.first_name = " Anna";
  user.last_name = "Schmidt ";
  return user;
}

std::vector<std::string> Codes(const std::vector<UserProblem>& problems) {
  std::vector<std::string> codes;
  for (const UserProblem& problem : problems) {
    codes.push_back(std::string(SpecOf(problem.attribute).key) + ":" +
                    std::string(UserProblemCodeName(problem.code)));
  }
  return codes;
}

TEST(UserRulesTest, NormalizesAndAppliesDefaults) {
  User user = Valid();
  EXPECT_TRUE(PrepareUser(Acme(), user).empty());
  EXPECT_EQ(user.email, "Anna.Schmidt@acme.example");
  EXPECT_EQ(user.email_key, "anna.schmidt@acme.example");
  EXPECT_EQ(user.first_name, "Anna");
  EXPECT_EQ(user.last_name, "Schmidt");
  EXPECT_EQ(user.gender, "other");
  EXPECT_EQ(user.address_type, "single");
  EXPECT_EQ(user.language, "de");  // the organization's default
}

TEST(UserRulesTest, LowersEnumeratedValues) {
  User user = Valid();
  user.gender = "Female";
  user.address_type = "GROUP";
  user.language = "FR";
  EXPECT_TRUE(PrepareUser(Acme(), user).empty());
  EXPECT_EQ(user.gender, "female");
  EXPECT_EQ(user.address_type, "group");
  EXPECT_EQ(user.language, "fr");
}

TEST(UserRulesTest, ReportsEveryProblemWithItsAttribute) {
  struct Case {
    std::string name;
    void (*change)(User&);
    std::vector<std::string> codes;
  };
  std::vector<Case> cases = {
      {"missing email", [](User& u) { u.email = "  "; }, {"email:missing_email"}},
      {"invalid email", [](User& u) { u.email = "anna@@acme"; }, {"email:invalid_email"}},
      {"foreign domain",
       [](User& u) { u.email = "anna@evil.example"; },
       {"email:domain_not_allowed"}},
      {"lookalike domain",
       [](User& u) { u.email = "anna@notacme.example"; },
       {"email:domain_not_allowed"}},
      {"no names",
       [](User& u) { u.first_name = u.last_name = ""; },
       {"first_name:missing_required", "last_name:missing_required"}},
      {"bad gender", [](User& u) { u.gender = "robot"; }, {"gender:invalid_value"}},
      {"bad type", [](User& u) { u.address_type = "shared"; }, {"address_type:invalid_value"}},
      {"bad language", [](User& u) { u.language = "deu"; }, {"language:invalid_value"}},
      {"bad manager", [](User& u) { u.manager_email = "boss"; }, {"manager_email:invalid_value"}},
  };
  for (const Case& c : cases) {
    User user = Valid();
    c.change(user);
    EXPECT_EQ(Codes(PrepareUser(Acme(), user)), c.codes) << c.name;
  }
}

TEST(UserRulesTest, DomainProblemNamesTheAllowedDomains) {
  User user = Valid();
  user.email = "anna@evil.example";
  std::vector<UserProblem> problems = PrepareUser(Acme(), user);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("evil.example"));
  EXPECT_THAT(problems[0].message, HasSubstr("acme.example"));
}

TEST(UserRulesTest, SubdomainsAndIdnDomainsBelongToTheOrganization) {
  EXPECT_TRUE(DomainAllowed(Acme(), "anna@hr.acme.example"));
  EXPECT_TRUE(DomainAllowed(Acme(), "anna@xn--bcher-kva.example"));
  EXPECT_FALSE(DomainAllowed(Acme(), "anna@evilacme.example"));
  EXPECT_FALSE(DomainAllowed(Acme(), "anna@acme.example.evil"));
}

TEST(TextTest, TrimsLowersAndGroupsThousands) {
  EXPECT_EQ(Trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(AsciiLower("ÄBC-x"), "Äbc-x");
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1000), "-1,000");
}

}  // namespace
}  // namespace roster
