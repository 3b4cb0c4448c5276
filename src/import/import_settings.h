#pragma once

// What an admin decided about one import, step by step in the wizard or all at once on the
// command line: the sheet, the header row, manual column choices, and the fixes and
// exclusions of erroneous rows. A plain value; serialized into the stored job.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/import_job.h"
#include "core/result.h"

namespace roster::import {

struct ImportDecisions {
  std::map<int64_t, std::string> fixes;  // row -> corrected email (the value as retyped)
  std::set<int64_t> excluded_rows;
  bool exclude_errors = false;  // exclude every row that still has an error

  // Stored in ImportJob::decisions, with the audit salt of the job.
  std::string ToJson(const std::string& audit_salt_hex) const;
  // Fails with kInvalidArgument on text that is not what ToJson writes.
  static Result<ImportDecisions> FromJson(std::string_view json, std::string* audit_salt_hex);
};

struct ImportSettings {
  ImportMode mode = ImportMode::kDelete;
  // A sheet name, or its 1-based number as text; empty: the first visible sheet with data.
  std::string sheet;
  int64_t header_row = 1;
  // Header as written -> attribute key, applied after the automatic mapping; an empty key
  // unassigns whatever the header had.
  std::vector<std::pair<std::string, std::string>> manual_mapping;
  // True when manual_mapping is the whole mapping (the wizard stores the complete choice):
  // then no column is mapped automatically.
  bool mapping_is_complete = false;
  ImportDecisions decisions;
};

}  // namespace roster::import
