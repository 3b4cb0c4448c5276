#include "import/delete_checker.h"

#include <algorithm>

#include "core/email.h"
#include "core/key_hash.h"
#include "core/text.h"
#include "import/delete_verdicts.h"
#include "import/formula_guard.h"

namespace roster::import {

DeleteChecker::DeleteChecker(const UserIndex& index, const ImportDecisions& decisions,
                             int email_column, std::string email_header,
                             AuditHashFunction audit_hash, bool keep_rows, std::string own_key)
    : index_(index),
      decisions_(decisions),
      email_column_(email_column),
      email_header_(std::move(email_header)),
      audit_hash_(std::move(audit_hash)),
      own_key_(std::move(own_key)),
      log_(keep_rows),
      named_(index.size(), false) {}

void DeleteChecker::CountEmptyRows(int64_t first_row, int64_t count) {
  log_.AddEmpty(first_row, count, decisions_.fixes, counts_,
                [this](const sheet::Row& row) { CheckRow(row); });
}

void DeleteChecker::AddIssue(const sheet::Row& row, std::string value, RowIssue issue) {
  bool is_error = issue.severity == Severity::kError;
  if (is_error && decisions_.exclude_errors) {
    ++counts_.excluded_rows;
    log_.Add(row.number, value, RowStatus::kExcluded, issue.message);
    return;
  }
  if (is_error) {
    ++counts_.errors;
  } else {
    ++counts_.warnings;
  }
  log_.Add(row.number, value, is_error ? RowStatus::kError : RowStatus::kDuplicate, issue.message);
  issues_.push_back({row.number, email_header_, std::move(value), issue.code, issue.severity,
                     std::move(issue.message), std::move(issue.suggestion)});
}

void DeleteChecker::CheckRow(const sheet::Row& row) {
  ++counts_.rows;
  auto fix = decisions_.fixes.find(row.number);
  const bool fixed = fix != decisions_.fixes.end();
  std::string_view cell;
  if (email_column_ < static_cast<int>(row.cells.size())) {
    cell = StripFormulaGuard(row.cells[static_cast<size_t>(email_column_)].text);
  }
  std::string_view written = fixed ? std::string_view(fix->second) : cell;

  if (decisions_.excluded_rows.contains(row.number)) {
    ++counts_.excluded_rows;
    return log_.Add(row.number, written, RowStatus::kExcluded, "excluded by the admin");
  }
  if (!fixed && RowIsEmpty(row)) {
    ++counts_.empty_rows;
    return log_.Add(row.number, written, RowStatus::kEmpty);
  }
  EmailCheck check;
  if (std::optional<RowIssue> problem = AddressProblem(written, check)) {
    const bool invalid = problem->code == IssueCode::kInvalidEmail;
    std::optional<std::string> repaired = problem->suggestion;
    size_t issues_before = issues_.size();
    AddIssue(row, std::string(written), std::move(*problem));
    // A repaired address that names nobody would only lead to not_found: look for the
    // nearest existing one in Finish, as for a row not in the list.
    if (invalid && repaired && issues_.size() > issues_before) {
      std::optional<std::string> repaired_key = EmailKey(*repaired);
      if (repaired_key && !index_.Find(*repaired_key)) {
        not_found_issues_.push_back(issues_before);
        not_found_keys_.push_back(*repaired_key);
      }
    }
    return;
  }
  std::optional<size_t> position = index_.Position(check.key);
  if (!position) {
    not_found_issues_.push_back(issues_.size());
    not_found_keys_.push_back(check.key);
    size_t issues_before = issues_.size();
    AddIssue(row, std::string(written), NotFoundIssue(check));
    if (issues_.size() == issues_before) {  // excluded by exclude_errors: no suggestion needed
      not_found_issues_.pop_back();
      not_found_keys_.pop_back();
    }
    return;
  }
  if (!own_key_.empty() && check.key == own_key_) {
    return AddIssue(row, std::string(written), OwnAddressIssue());
  }
  if (named_[*position]) {
    ++counts_.duplicates;
    return AddIssue(row, std::string(written), DuplicateIssue(check));
  }
  named_[*position] = true;
  const IndexedUser& user = index_.At(*position);
  plan_.push_back({user.user_id, KeyHash(check.key), row.number, audit_hash_(check.key)});
  if (user.has_elearning) ++counts_.elearning_linked;
  log_.Add(row.number, written, RowStatus::kPlanned);
}

void DeleteChecker::Finish(const SuggestFunction& suggest, Analysis& analysis) {
  if (suggest) {
    for (size_t i = 0; i < not_found_issues_.size(); ++i) {
      // A repaired address keeps its repair when nothing nearer exists.
      if (std::optional<std::string> nearest = suggest(not_found_keys_[i])) {
        issues_[not_found_issues_[i]].suggestion = std::move(nearest);
      }
    }
  }
  std::sort(plan_.begin(), plan_.end(), [](const PlannedDeletion& a, const PlannedDeletion& b) {
    return a.user_id < b.user_id;
  });
  counts_.to_delete = static_cast<int64_t>(plan_.size());
  analysis.issues = std::move(issues_);
  analysis.deletions = std::move(plan_);
  analysis.row_chunks = log_.Take();
  analysis.counts = counts_;
}

}  // namespace roster::import
