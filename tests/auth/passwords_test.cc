#include "auth/passwords.h"

#include <gtest/gtest.h>

#include <string>

namespace roster::auth {
namespace {

TEST(PasswordsTest, ANewPasswordNeedsTwelveCharacters) {
  Status short_one = CheckNewPassword("eleven-char");
  EXPECT_EQ(short_one.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_one.message(), "the password must have at least 12 characters");
  EXPECT_TRUE(CheckNewPassword("twelve-chars").ok());
}

TEST(PasswordsTest, AHashVerifiesItsPasswordOnly) {
  Result<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery "));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
}

TEST(PasswordsTest, TheSamePasswordHashesDifferentlyEachTime) {
  Result<std::string> first = HashPassword("correct horse battery");
  Result<std::string> second = HashPassword("correct horse battery");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);  // a random salt each time
}

TEST(PasswordsTest, AGeneratedPasswordHasTwentyEasyToTypeCharacters) {
  CountingRandom random;  // every byte value in turn, the ones that would bias included
  for (int round = 0; round < 20; ++round) {
    std::string password = GeneratePassword(random);
    ASSERT_EQ(password.size(), 20u);
    EXPECT_EQ(password.find_first_of("0O1lI"), std::string::npos) << password;
    EXPECT_TRUE(CheckNewPassword(password).ok());
  }
}

}  // namespace
}  // namespace roster::auth
