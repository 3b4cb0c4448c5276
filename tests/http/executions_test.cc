// Background work: the progress a run or check reports is visible while it runs, and Stop()
// waits for all of it to end.

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
  EXPECT_FALSE(executions.ProgressOf(7, WorkKind::kRun));
  executions.Start(7, WorkKind::kRun, [&](const std::function<void(int64_t, int64_t)>& progress) {
    progress(5, 10);
    reported.set_value();
    released.wait();
    progress(10, 10);
    finished = true;
  });
  reported.get_future().wait();
  std::optional<ExecutionProgress> seen = executions.ProgressOf(7, WorkKind::kRun);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->done, 5);
  EXPECT_EQ(seen->total, 10);
  EXPECT_FALSE(executions.ProgressOf(8, WorkKind::kRun));
  // A check of job 7 is other work: it has no progress while only the run goes on.
  EXPECT_FALSE(executions.ProgressOf(7, WorkKind::kCheck));
  EXPECT_EQ(executions.Running(WorkKind::kRun).size(), 1u);
  EXPECT_TRUE(executions.Running(WorkKind::kCheck).empty());
  release.set_value();
  executions.Stop();
  EXPECT_TRUE(finished);
  // Work that ended has no progress to show: the job's stored state says what became of it.
  EXPECT_FALSE(executions.ProgressOf(7, WorkKind::kRun));
}

TEST(ExecutionsTest, ManyRunsFinishAndTheirThreadsAreJoined) {
  Executions executions;
  std::atomic<int> runs = 0;
  for (int job = 1; job <= 50; ++job) {
    executions.Start(job, job % 2 == 0 ? WorkKind::kRun : WorkKind::kCheck,
                     [&](const std::function<void(int64_t, int64_t)>& progress) {
                       progress(1, 1);
                       ++runs;
                     });
  }
  executions.Stop();
  EXPECT_EQ(runs, 50);
}

}  // namespace
}  // namespace roster::http
