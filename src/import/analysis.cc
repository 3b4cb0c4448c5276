#include "import/analysis.h"

namespace roster::import {

std::string_view RowStatusName(RowStatus status) {
  switch (status) {
    case RowStatus::kPlanned: return "planned";
    case RowStatus::kEmpty: return "empty";
    case RowStatus::kExcluded: return "excluded";
    case RowStatus::kDuplicate: return "duplicate";
    case RowStatus::kError: return "error";
    case RowStatus::kUnchanged: return "unchanged";
    case RowStatus::kDeleted: return "deleted";
    case RowStatus::kCreated: return "created";
    case RowStatus::kUpdated: return "updated";
    case RowStatus::kAlreadyGone: return "already_gone";
  }
  return "error";
}

}  // namespace roster::import
