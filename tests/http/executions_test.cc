// Background executions: the progress a run reports is visible while it runs, and Stop()
// waits for every run to end.

#include "http/executions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace roster::http {
namespace {

TEST(ExecutionsTest, ShowsTheProgressOfARunningJobAndWaitsForItOnStop) {
  Executions executions;
  std::promise<void> reported;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished = false;
  EXPECT_FALSE(executions.ProgressOf(7));
  executions.Start(7, [&](const std::function<void(int64_t, int64_t)>& progress) {
    progress(5, 10);
    reported.set_value();
    released.wait();
    progress(10, 10);
    finished = true;
  });
  reported.get_future().wait();
  std::optional<ExecutionProgress> seen = executions.ProgressOf(7);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->done, 5);
  EXPECT_EQ(seen->total, 10);
  EXPECT_FALSE(executions.ProgressOf(8));
  release.set_value();
  executions.Stop();
  EXPECT_TRUE(finished);
  EXPECT_EQ(executions.ProgressOf(7)->done, 10);
}

TEST(ExecutionsTest, ManyRunsFinishAndTheirThreadsAreJoined) {
  Executions executions;
  std::atomic<int> runs = 0;
  for (int job = 1; job <= 50; ++job) {
    executions.Start(job, [&](const std::function<void(int64_t, int64_t)>& progress) {
      progress(1, 1);
      ++runs;
    });
  }
  executions.Stop();
  EXPECT_EQ(runs, 50);
}

}  // namespace
}  // namespace roster::http
