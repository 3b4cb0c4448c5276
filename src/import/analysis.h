#pragma once

// Analysis: everything Roster found in one file for one organization, before anything
// changes: the mapping, every issue, the plan and the summary counts, and what became of
// each row (for the result report).

#include <cstdint>
#include <string>
#include <vector>

#include "core/import_job.h"
#include "import/column_mapping.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

enum class RowStatus {
  kPlanned,  // will be deleted, created or updated
  kEmpty,
  kExcluded,   // by the admin
  kDuplicate,  // names a user an earlier row names already
  kError,      // an unresolved issue: nothing runs while one is left
  kUnchanged,  // add/update: the user has these values already
  kDeleted,    // after execution
  kCreated,
  kUpdated,
  kAlreadyGone,  // deleted or changed by someone else since the plan
};

std::string_view RowStatusName(RowStatus status);

// How long one phase of an analysis took, for benchmarks and the --json output.
struct PhaseTiming {
  std::string phase;
  double seconds = 0;
};

struct Analysis {
  std::string file_name;
  std::string file_sha256;
  int64_t file_size = 0;
  sheet::FileType file_type = sheet::FileType::kXlsx;
  std::vector<sheet::SheetInfo> sheets;
  std::string sheet;  // the name of the sheet read
  int64_t header_row = 1;
  ColumnMapping mapping;
  std::vector<ImportIssue> issues;         // unresolved errors and warnings, in row order
  std::vector<PlannedDeletion> deletions;  // delete mode, in user id order
  std::vector<PlannedUpsert> upserts;      // add/update mode, in row order
  ImportCounts counts;
  // What became of every data row below the header, in order, as row records
  // (import/row_records.h); filled only when asked for (a report), since it costs about 35
  // bytes a row.
  std::vector<RowChunk> row_chunks;
  std::string audit_salt_hex;
  std::vector<PhaseTiming> timings;  // in the order the phases ran

  bool HasErrors() const { return counts.errors > 0; }
};

}  // namespace roster::import
