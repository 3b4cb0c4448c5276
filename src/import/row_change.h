#pragma once

// ChangeOneRow: a fix, an exclusion or its taking back, applied to the findings of a checked
// delete job without reading the file or the organization's users: the row is judged again
// on its own (delete_verdicts, the same codes and messages as the whole-file check), its
// user is looked up by key, and the plan entry of that user is looked up in the stored plan;
// the issues, row records, plan part and counts that change are saved compare-and-set on the
// job's version (Store::PatchFindings). A few reads and one small write, whatever the size of
// the file or the organization.
//
// It applies when the row was an error, empty or excluded (what the console offers to fix)
// and the job is a checked delete job; otherwise (the row was planned or a duplicate, whose
// neighbours would change; add/update mode; errors excluded wholesale) it answers nullopt and
// the caller asks for a check of the whole file instead.

#include <cstdint>
#include <optional>
#include <string>

#include "core/import_job.h"
#include "core/organization.h"
#include "core/result.h"
#include "import/import_settings.h"
#include "store/store.h"

namespace roster::import {

// `job` as read (the change is saved only while it is still at job.version) with `decisions`
// (its decisions after the change, serialized with `salt_hex`), for row `row`. `own_key` is
// the key of the admin who started the import (empty: none).
Result<std::optional<ImportJob>> ChangeOneRow(Store& store, const ImportJob& job,
                                              const ImportDecisions& decisions,
                                              const std::string& salt_hex, int64_t row,
                                              const std::string& own_key);

}  // namespace roster::import
