#include "core/import_job.h"

#include <array>
#include <cstdio>
#include <utility>

#include "core/key_hash.h"

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

constexpr std::array<std::pair<JobState, std::string_view>, 10> kStates{{
    {JobState::kUploaded, "uploaded"},
    {JobState::kChecking, "checking"},
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

std::string JobBasis(const ImportJob& job) {
  // The settings are hashed (decisions may list many rows); the unit separator keeps fields
  // from running into each other.
  std::string settings;
  for (std::string_view part :
       {ImportModeName(job.mode), std::string_view(job.sheet), std::string_view(job.decisions)}) {
    settings.append(part).push_back('\x1f');
  }
  settings.append(std::to_string(job.header_row)).push_back('\x1f');
  for (const auto& [key, header] : job.mapping) {
    settings.append(key).push_back('\x1e');
    settings.append(header).push_back('\x1f');
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(KeyHash(settings)));
  return "sha256:" + job.file_sha256 + " settings:" + hex;
}

Status JobChangedMeanwhile(int64_t job_id, int64_t version, int64_t current) {
  return Aborted("import job " + std::to_string(job_id) + " was changed meanwhile (version " +
                 std::to_string(version) + " was read, it is at version " +
                 std::to_string(current) +
                 " now: another tab, admin or check changed it); nothing was saved: look at it "
                 "again and repeat what is still needed");
}

}  // namespace roster
