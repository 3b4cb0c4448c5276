#pragma once

// The users export, for `roster users export` and the console's download: every user of an
// organization with the template's columns and Roster IDs; cells a spreadsheet would run as
// a formula are neutralized.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace roster::import {

// Writes every user of `org_id` to `path` (.xlsx or .csv by its ending, else
// kInvalidArgument); returns how many. Nothing is left at `path` when it fails.
Result<int64_t> ExportUsers(Store& store, int64_t org_id, const std::string& path,
                            const ProgressCallback& progress = {});

}  // namespace roster::import
