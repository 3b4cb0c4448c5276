#include "core/import_job.h"

#include <array>
#include <utility>

namespace roster {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> FromName(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view ToName(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [candidate, text] : names) {
    if (candidate == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<ImportMode, std::string_view>, 2> kModes{{
    {ImportMode::kDelete, "delete"},
    {ImportMode::kAddUpdate, "add-update"},
}};

constexpr std::array<std::pair<JobState, std::string_view>, 9> kStates{{
    {JobState::kUploaded, "uploaded"},
    {JobState::kMapped, "mapped"},
    {JobState::kValidated, "validated"},
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kDone, "done"},
    {JobState::kFailed, "failed"},
    {JobState::kInterrupted, "interrupted"},
    {JobState::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<IssueCode, std::string_view>, 10> kIssueCodes{{
    {IssueCode::kInvalidEmail, "invalid_email"},
    {IssueCode::kMissingEmail, "missing_email"},
    {IssueCode::kDuplicateEmail, "duplicate_email"},
    {IssueCode::kNotFound, "not_found"},
    {IssueCode::kDomainNotAllowed, "domain_not_allowed"},
    {IssueCode::kMissingRequired, "missing_required"},
    {IssueCode::kInvalidValue, "invalid_value"},
    {IssueCode::kColumnNotMapped, "column_not_mapped"},
    {IssueCode::kCellTooLong, "cell_too_long"},
    {IssueCode::kOwnAddress, "own_address"},
}};

}  // namespace

std::string_view ImportModeName(ImportMode mode) { return ToName(kModes, mode); }
std::optional<ImportMode> ImportModeFromName(std::string_view name) {
  return FromName(kModes, name);
}
std::string_view JobStateName(JobState state) { return ToName(kStates, state); }
std::optional<JobState> JobStateFromName(std::string_view name) { return FromName(kStates, name); }
std::string_view IssueCodeName(IssueCode code) { return ToName(kIssueCodes, code); }
std::optional<IssueCode> IssueCodeFromName(std::string_view name) {
  return FromName(kIssueCodes, name);
}
std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

}  // namespace roster
