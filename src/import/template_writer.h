#pragma once

// The import template of a mode (delete: the email only; add-update: every attribute), as
// the CLI writes it to a file and the console offers it for download.

#include <string>

#include "core/import_job.h"
#include "core/result.h"

namespace roster::import {

// Writes the template for `mode` to `path` (an .xlsx).
Status WriteTemplate(ImportMode mode, const std::string& path);

}  // namespace roster::import
