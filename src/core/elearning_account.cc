#include "core/elearning_account.h"

namespace roster {

std::string_view ProgressStatusName(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kNotStarted: return "not_started";
    case ProgressStatus::kInProgress: return "in_progress";
    case ProgressStatus::kCompleted: return "completed";
  }
  return "not_started";
}

}  // namespace roster
