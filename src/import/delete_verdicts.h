#pragma once

// What delete mode says about one address, in one place: the whole-file check (DeleteChecker)
// and the change of one row (incremental_check) judge alike, with the same codes and messages.
// Plain functions.

#include <optional>
#include <string>
#include <string_view>

#include "core/email.h"
#include "core/import_job.h"

namespace roster::import {

// An issue of a row, before it is given its row and column.
struct RowIssue {
  IssueCode code = IssueCode::kInvalidEmail;
  Severity severity = Severity::kError;
  std::string message;
  std::optional<std::string> suggestion;
};

// The problem of an address as written before it is looked up (empty, or not an address), or
// nothing when it is a valid address: then `check` holds its key.
std::optional<RowIssue> AddressProblem(std::string_view written, EmailCheck& check);
// A valid address that names no user of the organization.
RowIssue NotFoundIssue(const EmailCheck& check);
// The address of the admin who runs the import.
RowIssue OwnAddressIssue();
// An address an earlier row names already (a warning: the user is deleted once).
RowIssue DuplicateIssue(const EmailCheck& check);

}  // namespace roster::import
