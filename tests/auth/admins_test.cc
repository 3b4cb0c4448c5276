#include "auth/admins.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "auth/passwords.h"
#include "core/clock.h"
#include "store/backends/open_store.h"
#include "support/temp_dir.h"

namespace roster::auth {
namespace {

constexpr char kPassword[] = "a long enough password";

const Organization kAcme{7, "acme", "Acme", "en", {"acme.example"}};

TEST(AdminsTest, ANewAdminHasANormalizedAddressAndAHashedPassword) {
  Result<Admin> admin = NewAdmin(kAcme, "Jane.Doe@ACME.example", kPassword, AdminRole::kOwner);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  EXPECT_EQ(admin->org_id, 7);
  EXPECT_EQ(admin->email, "jane.doe@acme.example");
  EXPECT_EQ(admin->role, AdminRole::kOwner);
  EXPECT_TRUE(VerifyPassword(admin->password_hash, kPassword));
}

TEST(AdminsTest, ANewAdminNeedsAValidAddressAndALongPassword) {
  Result<Admin> bad_address = NewAdmin(kAcme, "jane.doe@", kPassword, AdminRole::kAdmin);
  EXPECT_EQ(bad_address.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(bad_address.status().message().starts_with("the admin's address: "))
      << bad_address.status().message();
  Result<Admin> short_password = NewAdmin(kAcme, "jane@acme.example", "short", AdminRole::kAdmin);
  EXPECT_EQ(short_password.status(),
            InvalidArgument("the password must have at least 12 characters"));
}

TEST(AdminsTest, ChoosePasswordTakesAGivenOneOrMakesOne) {
  CountingRandom random;
  EXPECT_EQ(*ChoosePassword(kPassword, random), kPassword);
  EXPECT_EQ(ChoosePassword("short", random).status().code(), ErrorCode::kInvalidArgument);
  Result<std::string> generated = ChoosePassword("", random);
  ASSERT_TRUE(generated.ok());
  EXPECT_EQ(generated->size(), 20u);
}

TEST(AdminsTest, EnsureOwnersGivesEveryOrganizationWithoutOneAnOwnerOnce) {
  testing::TempDir dir;
  FixedClock clock(1'700'000'000);
  Result<std::unique_ptr<Store>> opened = OpenStore("sqlite:" + dir.File("roster.db"), clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  Result<Organization> acme = store.CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
  Result<Organization> bare = store.CreateOrganization({0, "bare", "Bare", "en", {}});
  ASSERT_TRUE(acme.ok() && bare.ok());

  CountingRandom random;
  std::vector<std::string> announced;
  auto announce = [&](const Admin& admin, const std::string& password) {
    EXPECT_EQ(password, kPassword);
    announced.push_back(admin.email);
  };
  Result<int64_t> created = EnsureOwners(store, kPassword, random, announce);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*created, 2);
  EXPECT_EQ(announced, (std::vector<std::string>{"owner@acme.example", "owner@bare.invalid"}));

  Result<int64_t> again = EnsureOwners(store, kPassword, random, announce);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(announced.size(), 2u);
}

}  // namespace
}  // namespace roster::auth
