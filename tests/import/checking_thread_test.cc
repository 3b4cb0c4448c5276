// CheckingThread checks every row once, in order, on its own thread, after its preparation;
// it stops the reading when the preparation fails or a check says stop, and never hangs.

#include "import/checking_thread.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace roster::import {
namespace {

sheet::Row MakeRow(int64_t number) {
  sheet::Row row;
  row.number = number;
  row.cells.push_back({sheet::CellType::kText, "user" + std::to_string(number) + "@acme.example"});
  return row;
}

TEST(CheckingThreadTest, ChecksEveryRowInOrderAfterPreparingAndElsewhere) {
  std::atomic<bool> prepared = false;
  std::vector<int64_t> checked;
  bool checked_before_prepared = false;
  std::thread::id checker;
  // A queue of 64 KiB holds a few batches: the reader waits for the checker many times.
  CheckingThread checking(
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        prepared = true;
        return Status::Ok();
      },
      [&](const sheet::Row& row) {
        if (!prepared) checked_before_prepared = true;
        checker = std::this_thread::get_id();
        checked.push_back(row.number);
        EXPECT_EQ(row.cells.at(0).text, "user" + std::to_string(row.number) + "@acme.example");
        return true;
      },
      64 << 10);
  for (int64_t number = 2; number <= 50'001; ++number) {
    ASSERT_TRUE(checking.Add(MakeRow(number)));
  }
  EXPECT_TRUE(checking.Finish().ok());
  EXPECT_FALSE(checked_before_prepared);
  EXPECT_NE(checker, std::this_thread::get_id());
  ASSERT_EQ(checked.size(), 50'000u);
  for (size_t i = 0; i < checked.size(); ++i) ASSERT_EQ(checked[i], static_cast<int64_t>(i) + 2);
  EXPECT_GE(checking.prepare_seconds(), 0.04);
}

TEST(CheckingThreadTest, AFailedPreparationStopsTheReadingAndChecksNothing) {
  int checked = 0;
  CheckingThread checking([] { return Unavailable("the database is gone"); },
                          [&](const sheet::Row&) {
                            ++checked;
                            return true;
                          },
                          64 << 10);
  int64_t added = 0;
  for (int64_t number = 2; number < 1'000'000 && checking.Add(MakeRow(number)); ++number) ++added;
  EXPECT_LT(added, 999'998) << "the reading was never told to stop";
  Status status = checking.Finish();
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(checked, 0);
}

TEST(CheckingThreadTest, ACheckThatSaysStopEndsTheChecking) {
  std::vector<int64_t> checked;
  CheckingThread checking([] { return Status::Ok(); },
                          [&](const sheet::Row& row) {
                            checked.push_back(row.number);
                            return row.number < 10;
                          },
                          64 << 10);
  bool refused = false;
  for (int64_t number = 2; number < 1'000'000; ++number) {
    if (!checking.Add(MakeRow(number))) {
      refused = true;
      break;
    }
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(checking.Finish().ok());
  EXPECT_EQ(checked.back(), 10);
  EXPECT_EQ(checked.size(), 9u);
}

TEST(CheckingThreadTest, LeftWithoutFinishingItStopsWithoutCheckingTheRest) {
  std::atomic<int> checked = 0;
  {
    CheckingThread checking(
        [] {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          return Status::Ok();
        },
        [&](const sheet::Row&) {
          ++checked;
          return true;
        },
        64 << 10);
    // More than a batch: one is queued while the preparation still runs.
    for (int64_t number = 2; number < 5'000; ++number) ASSERT_TRUE(checking.Add(MakeRow(number)));
    // The reading failed here: the checking is dropped with the rows still queued.
  }
  EXPECT_EQ(checked, 0);
}

}  // namespace
}  // namespace roster::import
