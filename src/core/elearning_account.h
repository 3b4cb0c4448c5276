#pragma once

// ElearningAccount: the learner login an employee created on the e-learning platform after
// the invitation, with course progress and certificates. It links to the user of the same
// organization whose email_key matches; deleting the user without the cascade leaves it
// unlinked (user_id empty) with its learning history.

#include <cstdint>
#include <optional>
#include <string>

namespace roster {

struct ElearningAccount {
  int64_t id = 0;
  int64_t org_id = 0;
  std::optional<int64_t> user_id;
  std::string email_key;
  int64_t created_at = 0;  // Unix seconds
  std::optional<int64_t> last_login_at;
};

enum class ProgressStatus { kNotStarted, kInProgress, kCompleted };

struct LearningProgress {
  int64_t account_id = 0;
  std::string module;
  ProgressStatus status = ProgressStatus::kNotStarted;
  std::optional<int> score;  // 0..100 once completed
  std::optional<int64_t> completed_at;
};

struct Certificate {
  int64_t account_id = 0;
  std::string module;
  int64_t issued_at = 0;
};

std::string_view ProgressStatusName(ProgressStatus status);

}  // namespace roster
