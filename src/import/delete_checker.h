#pragma once

// DeleteChecker: the checks of delete mode, row by row as the reader streams them. Every
// finding concerns the email address: missing, invalid, not in the user list (errors), or
// naming a user an earlier row names already (a warning: the user is deleted once). Rows the
// admin excluded, or fixed, are taken as decided. Used by one thread; `index` and
// `decisions` must outlive it.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "import/analysis.h"
#include "import/delete_verdicts.h"
#include "import/import_settings.h"
#include "import/row_log.h"
#include "import/user_index.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

// The likely intended key for a key that is not in the list, if there is one.
using SuggestFunction = std::function<std::optional<std::string>(std::string_view key)>;
// The salted hash the audit log keeps of a deleted user's key.
using AuditHashFunction = std::function<std::array<uint8_t, 16>(std::string_view key)>;

class DeleteChecker {
 public:
  // `email_column` is the column mapped to the email (0 = A), `email_header` its header.
  // `own_key` is the key of the admin running the import (empty: none): that user is never
  // planned for deletion.
  DeleteChecker(const UserIndex& index, const ImportDecisions& decisions, int email_column,
                std::string email_header, AuditHashFunction audit_hash, bool keep_rows,
                std::string own_key = "");

  // Checks one data row (a row below the header that the reader delivered).
  void CheckRow(const sheet::Row& row);
  // Counts the data rows first_row .. first_row + count - 1, which the reader skipped because
  // they had no cells at all.
  void CountEmptyRows(int64_t first_row, int64_t count);

  // True when some row (or the repair of an invalid one) is not in the list, so that
  // suggestions are worth an index.
  bool HasNotFound() const { return !not_found_issues_.empty(); }

  // Moves the findings into `analysis`: issues in row order (with suggestions from
  // `suggest` for rows not in the list; it may be null), the plan in user id order, counts.
  void Finish(const SuggestFunction& suggest, Analysis& analysis);

 private:
  void AddIssue(const sheet::Row& row, std::string value, RowIssue issue);

  const UserIndex& index_;
  const ImportDecisions& decisions_;
  int email_column_;
  std::string email_header_;
  AuditHashFunction audit_hash_;
  std::string own_key_;
  RowLog log_;

  std::vector<bool> named_;  // per index position: an earlier row names this user
  std::vector<ImportIssue> issues_;
  // Positions in issues_ that want the nearest existing key to not_found_keys_[i].
  std::vector<size_t> not_found_issues_;
  std::vector<std::string> not_found_keys_;
  std::vector<PlannedDeletion> plan_;
  ImportCounts counts_;
};

}  // namespace roster::import
