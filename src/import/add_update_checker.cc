#include "import/add_update_checker.h"

#include <algorithm>

#include "core/email.h"
#include "core/text.h"
#include "core/user_rules.h"
#include "import/formula_guard.h"

namespace roster::import {
namespace {

IssueCode IssueFor(UserProblemCode code) {
  switch (code) {
    case UserProblemCode::kInvalidEmail: return IssueCode::kInvalidEmail;
    case UserProblemCode::kMissingEmail: return IssueCode::kMissingEmail;
    case UserProblemCode::kMissingRequired: return IssueCode::kMissingRequired;
    case UserProblemCode::kDomainNotAllowed: return IssueCode::kDomainNotAllowed;
    case UserProblemCode::kInvalidValue: return IssueCode::kInvalidValue;
  }
  return IssueCode::kInvalidValue;
}

std::vector<std::string> SplitGroups(std::string_view text) {
  std::vector<std::string> groups;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(",;", start);
    if (end == std::string_view::npos) end = text.size();
    std::string group(Trim(text.substr(start, end - start)));
    if (!group.empty() && std::find(groups.begin(), groups.end(), group) == groups.end()) {
      groups.push_back(std::move(group));
    }
    start = end + 1;
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}

bool SameUser(const User& a, const User& b) {
  return a.email == b.email && a.email_key == b.email_key && a.first_name == b.first_name &&
         a.last_name == b.last_name && a.gender == b.gender &&
         a.academic_degree == b.academic_degree && a.language == b.language &&
         a.address_type == b.address_type && a.manager_email == b.manager_email &&
         a.department == b.department && a.location == b.location &&
         a.employee_id == b.employee_id && a.groups == b.groups;
}

// The text attributes a row can set, with where they live in a User.
struct TextField {
  Attribute attribute;
  std::string User::*field;
};
constexpr TextField kTextFields[] = {
    {Attribute::kEmail, &User::email},
    {Attribute::kFirstName, &User::first_name},
    {Attribute::kLastName, &User::last_name},
    {Attribute::kGender, &User::gender},
    {Attribute::kAcademicDegree, &User::academic_degree},
    {Attribute::kLanguage, &User::language},
    {Attribute::kAddressType, &User::address_type},
    {Attribute::kManagerEmail, &User::manager_email},
    {Attribute::kDepartment, &User::department},
    {Attribute::kLocation, &User::location},
    {Attribute::kEmployeeId, &User::employee_id},
};

}  // namespace

AddUpdateChecker::AddUpdateChecker(Store& store, const Organization& organization,
                                   const UserIndex& index, const ColumnMapping& mapping,
                                   const ImportDecisions& decisions, bool keep_rows)
    : store_(store),
      organization_(organization),
      index_(index),
      mapping_(mapping),
      decisions_(decisions),
      log_(keep_rows) {}

std::string AddUpdateChecker::Cell(const sheet::Row& row, Attribute attribute) const {
  if (attribute == Attribute::kEmail) {
    auto fix = decisions_.fixes.find(row.number);
    if (fix != decisions_.fixes.end()) return std::string(Trim(fix->second));
  }
  std::optional<int> column = mapping_.ColumnOf(attribute);
  if (!column || *column >= static_cast<int>(row.cells.size())) return "";
  return std::string(Trim(StripFormulaGuard(row.cells[static_cast<size_t>(*column)].text)));
}

void AddUpdateChecker::CountEmptyRows(int64_t first_row, int64_t count) {
  log_.AddEmpty(first_row, count, decisions_.fixes, counts_,
                [this](const sheet::Row& row) { CheckRow(row); });
}

void AddUpdateChecker::AddIssue(int64_t row, Attribute attribute, std::string value, IssueCode code,
                                std::string message) {
  row_has_error_ = true;
  if (decisions_.exclude_errors) return;
  std::optional<int> column = mapping_.ColumnOf(attribute);
  std::string header =
      column ? mapping_.columns()[static_cast<size_t>(*column)].header : std::string();
  issues_.push_back(
      {row, header, std::move(value), code, Severity::kError, std::move(message), std::nullopt});
}

bool AddUpdateChecker::FindExisting(const sheet::Row& row, std::optional<User>& existing) {
  std::string id_text = Cell(row, Attribute::kRosterId);
  int64_t user_id = 0;
  if (!id_text.empty()) {
    bool digits = id_text.size() < 19 && std::all_of(id_text.begin(), id_text.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      AddIssue(row.number, Attribute::kRosterId, id_text, IssueCode::kInvalidValue,
               "The Roster ID '" + id_text + "' is not a number. Leave it empty for new users.");
      return false;
    }
    user_id = std::stoll(id_text);
  } else {
    std::optional<std::string> key = EmailKey(Cell(row, Attribute::kEmail));
    if (!key) return true;  // PrepareUser reports the address
    if (const IndexedUser* found = index_.Find(*key)) user_id = found->user_id;
  }
  if (user_id == 0) return true;
  Result<User> user = store_.GetUser(organization_.id, user_id);
  if (user.status().code() == ErrorCode::kNotFound) {
    AddIssue(row.number, Attribute::kRosterId, id_text, IssueCode::kNotFound,
             "No user has the Roster ID " + id_text +
                 ". Check the number, or leave it empty to add a new user.");
    return false;
  }
  if (!user.ok()) {
    status_ = user.status();
    return false;
  }
  existing = std::move(user).value();
  return true;
}

void AddUpdateChecker::CheckRow(const sheet::Row& row) {
  if (!status_.ok()) return;
  ++counts_.rows;
  row_has_error_ = false;
  std::string written = Cell(row, Attribute::kEmail);
  if (decisions_.excluded_rows.contains(row.number)) {
    ++counts_.excluded_rows;
    return log_.Add(row.number, written, RowStatus::kExcluded, "excluded by the admin");
  }
  if (RowIsEmpty(row) && !decisions_.fixes.contains(row.number)) {
    ++counts_.empty_rows;
    return log_.Add(row.number, written, RowStatus::kEmpty);
  }

  std::optional<User> existing;
  size_t issues_before = issues_.size();
  bool found_ok = FindExisting(row, existing);
  if (!status_.ok()) return;
  User user = existing.value_or(User{});
  if (found_ok) {
    for (const TextField& text : kTextFields) {
      std::string value = Cell(row, text.attribute);
      if (value.size() > kMaxAttributeChars) {
        AddIssue(row.number, text.attribute, value.substr(0, 40) + "...", IssueCode::kCellTooLong,
                 "The " + std::string(SpecOf(text.attribute).template_header) + " has " +
                     std::to_string(value.size()) + " characters; at most " +
                     std::to_string(kMaxAttributeChars) + " are allowed.");
        continue;
      }
      // An empty cell keeps what an existing user has (and gives a new one the default).
      if (!value.empty() || !existing) user.*text.field = std::move(value);
    }
    if (mapping_.ColumnOf(Attribute::kGroups)) {
      std::string groups = Cell(row, Attribute::kGroups);
      if (!groups.empty() || !existing) user.groups = SplitGroups(groups);
    }
    for (const UserProblem& problem : PrepareUser(organization_, user)) {
      AddIssue(row.number, problem.attribute, Cell(row, problem.attribute), IssueFor(problem.code),
               problem.message);
    }
  }
  if (!row_has_error_) {
    bool new_key = keys_seen_.insert(user.email_key).second;
    bool new_id = user.id == 0 || ids_seen_.insert(user.id).second;
    if (!new_key || !new_id) {
      ++counts_.duplicates;
      AddIssue(row.number, Attribute::kEmail, written, IssueCode::kDuplicateEmail,
               "An earlier row names " + user.email +
                   " already. Each user may appear once: remove or exclude one of the rows.");
    } else if (existing && user.email_key != existing->email_key &&
               index_.Find(user.email_key) != nullptr) {
      AddIssue(row.number, Attribute::kEmail, written, IssueCode::kDuplicateEmail,
               "The address " + user.email +
                   " belongs to another user already. Change or delete that user first.");
    }
  }
  if (row_has_error_) {
    if (decisions_.exclude_errors) {
      ++counts_.excluded_rows;
      return log_.Add(row.number, written, RowStatus::kExcluded,
                      issues_.size() > issues_before ? issues_.back().message : "");
    }
    ++counts_.errors;
    return log_.Add(row.number, written, RowStatus::kError, issues_.back().message);
  }
  if (existing && SameUser(user, *existing)) {
    ++counts_.unchanged;
    return log_.Add(row.number, written, RowStatus::kUnchanged);
  }
  ++(existing ? counts_.to_update : counts_.to_create);
  plan_.push_back({std::move(user), existing ? existing->updated_at : 0, row.number});
  log_.Add(row.number, written, RowStatus::kPlanned, "", /*creates=*/!existing);
}

void AddUpdateChecker::Finish(Analysis& analysis, std::vector<PlannedUpsert>& plan) {
  analysis.issues = std::move(issues_);
  analysis.row_chunks = log_.Take();
  analysis.counts = counts_;
  plan = std::move(plan_);
}

}  // namespace roster::import
