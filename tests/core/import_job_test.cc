#include "core/import_job.h"

#include <gtest/gtest.h>

namespace roster {
namespace {

TEST(ImportJobTest, NamesRoundTrip) {
  for (IssueCode code :
       {IssueCode::kInvalidEmail, IssueCode::kMissingEmail, IssueCode::kDuplicateEmail,
        IssueCode::kNotFound, IssueCode::kDomainNotAllowed, IssueCode::kMissingRequired,
        IssueCode::kInvalidValue, IssueCode::kColumnNotMapped, IssueCode::kCellTooLong}) {
    EXPECT_EQ(IssueCodeFromName(IssueCodeName(code)), code) << IssueCodeName(code);
  }
  EXPECT_EQ(IssueCodeName(IssueCode::kNotFound), "not_found");
  EXPECT_EQ(IssueCodeFromName("no_such_code"), std::nullopt);
  EXPECT_EQ(ImportModeFromName("add-update"), ImportMode::kAddUpdate);
  EXPECT_EQ(ImportModeFromName("purge"), std::nullopt);
  EXPECT_EQ(JobStateFromName(JobStateName(JobState::kInterrupted)), JobState::kInterrupted);
}

}  // namespace
}  // namespace roster
