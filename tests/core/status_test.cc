#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/result.h"

namespace roster {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return InvalidArgument(std::to_string(value) + " is odd");
  return value / 2;
}

Result<int> Quarter(int value) {
  ROSTER_ASSIGN_OR_RETURN(int half, Half(value));
  return Half(half);
}

Status CheckEven(int value) {
  ROSTER_RETURN_IF_ERROR(Half(value).status());
  return Status::Ok();
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status status = NotFound("no user with the id 7");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
  EXPECT_EQ(status.ToString(), "not_found: no user with the id 7");
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

TEST(StatusTest, CodeNamesAreStable) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kResourceExhausted), "resource_exhausted");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kPermissionDenied), "permission_denied");
}

TEST(ResultTest, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  EXPECT_FALSE(odd.ok());
  EXPECT_EQ(odd.status(), InvalidArgument("3 is odd"));
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), ErrorCode::kInvalidArgument);
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> owned = std::make_unique<int>(42);
  ASSERT_TRUE(owned.ok());
  std::unique_ptr<int> taken = std::move(owned).value();
  EXPECT_EQ(*taken, 42);
}

}  // namespace
}  // namespace roster
