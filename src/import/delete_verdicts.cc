#include "import/delete_verdicts.h"

#include "core/text.h"

namespace roster::import {

std::optional<RowIssue> AddressProblem(std::string_view written, EmailCheck& check) {
  if (Trim(written).empty()) {
    return RowIssue{IssueCode::kMissingEmail, Severity::kError,
                    "The email address is empty. Enter the address of the user to delete, or "
                    "exclude the row.",
                    std::nullopt};
  }
  check = CheckEmail(written);
  if (!check.ok()) {
    return RowIssue{IssueCode::kInvalidEmail, Severity::kError, check.message, check.repaired};
  }
  return std::nullopt;
}

RowIssue NotFoundIssue(const EmailCheck& check) {
  return {IssueCode::kNotFound, Severity::kError,
          "No user of this organization has the address " + check.address +
              ". Check the spelling, or exclude the row if the user is gone already.",
          std::nullopt};
}

RowIssue OwnAddressIssue() {
  return {IssueCode::kOwnAddress, Severity::kError,
          "This is your own address: an admin cannot delete themselves by import. Exclude the "
          "row; another admin can delete your user.",
          std::nullopt};
}

RowIssue DuplicateIssue(const EmailCheck& check) {
  return {IssueCode::kDuplicateEmail, Severity::kWarning,
          "An earlier row names " + check.address + " already; the user is deleted once.",
          std::nullopt};
}

}  // namespace roster::import
