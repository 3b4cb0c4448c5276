#pragma once

// AnalyzeFile: the read-only half of an import. Reads the chosen sheet of the file once,
// streaming, maps its columns, checks every row against the organization's users and makes
// the plan and the summary. Changes nothing anywhere: the store is only read.

#include <functional>
#include <string>

#include "core/organization.h"
#include "core/random.h"
#include "import/analysis.h"
#include "import/import_settings.h"
#include "sheet/limits.h"
#include "store/store.h"

namespace roster::import {

struct AnalyzeRequest {
  std::string path;          // the file on disk
  std::string display_name;  // what messages call it (the uploaded name)
  Organization organization;
  ImportSettings settings;
  // The job's salt for address hashes when re-analyzing a stored job; empty: a new one.
  std::string audit_salt_hex;
  bool keep_rows = false;  // fill Analysis::rows (for a report)
  sheet::Limits limits;
  // Rows read so far, with a total of -1 while reading; (rows, rows) once all are read.
  ProgressCallback progress;
  // The matching key of the admin who runs the import: a delete import cannot delete it
  // (DESIGN.md section 4: admins cannot delete themselves by import). Empty: none.
  std::string own_key;
  // Asked now and then while rows are read; false stops the analysis (kAborted).
  std::function<bool()> keep_going;
};

// Fails (kInvalidArgument, kResourceExhausted) when the file cannot be read as a
// spreadsheet or the sheet or header row does not exist; everything wrong inside the rows is
// an issue in the Analysis instead.
Result<Analysis> AnalyzeFile(Store& store, const AnalyzeRequest& request, RandomSource& random);

}  // namespace roster::import
