#pragma once

// AddUpdateChecker: the checks of add/update mode, row by row. A row names its user by the
// Roster ID (when that column is mapped and filled: the way to change an address) or else by
// email; a known user is updated, an unknown address is created. Every value is checked with
// the rules of core/user_rules.h. An empty cell leaves an existing user's attribute as it is,
// so a sparse file never wipes data by accident. Used by one thread; the references must
// outlive it.

#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "import/analysis.h"
#include "import/column_mapping.h"
#include "import/import_settings.h"
#include "import/row_log.h"
#include "import/user_index.h"
#include "sheet/workbook_reader.h"
#include "store/store.h"

namespace roster::import {

// The longest value of one attribute; longer cells are cell_too_long errors.
inline constexpr size_t kMaxAttributeChars = 255;

class AddUpdateChecker {
 public:
  AddUpdateChecker(Store& store, const Organization& organization, const UserIndex& index,
                   const ColumnMapping& mapping, const ImportDecisions& decisions, bool keep_rows);

  void CheckRow(const sheet::Row& row);
  void CountEmptyRows(int64_t first_row, int64_t count);
  // Fails only when the store does (looking up existing users).
  Status status() const { return status_; }

  void Finish(Analysis& analysis, std::vector<PlannedUpsert>& plan);

 private:
  std::string Cell(const sheet::Row& row, Attribute attribute) const;
  void AddIssue(int64_t row, Attribute attribute, std::string value, IssueCode code,
                std::string message);
  // Loads the existing user the row names, if any; false when the row has an issue.
  bool FindExisting(const sheet::Row& row, std::optional<User>& existing);

  Store& store_;
  const Organization& organization_;
  const UserIndex& index_;
  const ColumnMapping& mapping_;
  const ImportDecisions& decisions_;
  Status status_;

  std::unordered_set<std::string> keys_seen_;
  std::set<int64_t> ids_seen_;
  std::vector<ImportIssue> issues_;
  std::vector<PlannedUpsert> plan_;
  RowLog log_;
  ImportCounts counts_;
  bool row_has_error_ = false;
};

}  // namespace roster::import
