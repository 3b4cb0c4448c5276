#pragma once

// Which sheet of a workbook an import (or `roster inspect`) reads: the one the admin named,
// or else the first visible sheet that has a row. Shared by the analyzer and the CLI so that
// both choose alike. Stateless functions; the reader is used from the caller's thread.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sheet/workbook_reader.h"

namespace roster::import {

// The sheet `wanted` names: its exact name, then its name compared case-insensitively, then
// its 1-based number. kInvalidArgument naming `display_name` and listing the sheets when no
// sheet matches.
Result<size_t> FindSheet(const std::vector<sheet::SheetInfo>& sheets, const std::string& wanted,
                         const std::string& display_name);

// The first visible sheet that delivers at least one row; nothing when no visible sheet has
// any. Reads only up to the first row of each sheet. Fails when reading fails.
Result<std::optional<size_t>> FirstSheetWithData(sheet::WorkbookReader& reader);

// FindSheet when `wanted` is not empty, else FirstSheetWithData; kInvalidArgument when the
// workbook has no sheets or no visible sheet has data.
Result<size_t> ChooseSheet(sheet::WorkbookReader& reader, const std::string& wanted,
                           const std::string& display_name);

// "'Staff', 'Archive'": the sheet names for messages.
std::string SheetList(const std::vector<sheet::SheetInfo>& sheets);

}  // namespace roster::import
