#include "import/row_change.h"

#include <algorithm>
#include <map>

#include "core/email.h"
#include "core/key_hash.h"
#include "import/delete_verdicts.h"
#include "import/digests.h"
#include "import/row_records.h"

namespace roster::import {
namespace {

constexpr std::string_view kExcludedMessage = "excluded by the admin";

// The row records a change touches, by the chunk that holds them, rewritten as they change.
class RecordEdits {
 public:
  RecordEdits(Store& store, const ImportJob& job) : store_(store), job_(job) {}

  // The record of `row`, as stored (or as changed already).
  Result<OwnedRowRecord> Find(int64_t row) {
    ROSTER_ASSIGN_OR_RETURN(RowChunk * chunk, ChunkOf(row));
    return FindRecord(*chunk, row);
  }

  Status Replace(const OwnedRowRecord& record) {
    ROSTER_ASSIGN_OR_RETURN(RowChunk * chunk, ChunkOf(record.row));
    ROSTER_ASSIGN_OR_RETURN(*chunk, ReplaceRecord(*chunk, {record.row, record.value, record.status,
                                                           record.message, record.creates}));
    return Status::Ok();
  }

  std::vector<RowChunk> Take() {
    std::vector<RowChunk> chunks;
    for (auto& [first_row, chunk] : chunks_) chunks.push_back(std::move(chunk));
    return chunks;
  }

 private:
  Result<RowChunk*> ChunkOf(int64_t row) {
    for (auto& [first_row, chunk] : chunks_) {
      Result<OwnedRowRecord> found = FindRecord(chunk, row);
      if (found.ok()) return &chunk;
    }
    ROSTER_ASSIGN_OR_RETURN(std::optional<RowChunk> loaded,
                            store_.LoadRowChunk(job_.org_id, job_.id, row));
    if (!loaded) return NotFound("no record of row " + std::to_string(row));
    const int64_t first_row = loaded->first_row;
    return &chunks_.insert_or_assign(first_row, std::move(*loaded)).first->second;
  }

  Store& store_;
  const ImportJob& job_;
  std::map<int64_t, RowChunk> chunks_;
};

}  // namespace

Result<std::optional<ImportJob>> ChangeOneRow(Store& store, const ImportJob& job,
                                              const ImportDecisions& decisions,
                                              const std::string& salt_hex, int64_t row,
                                              const std::string& own_key) {
  const std::optional<ImportJob> check_the_file;
  auto email = job.mapping.find("email");
  if (job.mode != ImportMode::kDelete || email == job.mapping.end() ||
      (job.state != JobState::kMapped && job.state != JobState::kValidated) ||
      decisions.exclude_errors) {
    return check_the_file;
  }
  const std::string& header = email->second;
  RecordEdits records(store, job);
  Result<OwnedRowRecord> found = records.Find(row);
  if (found.status().code() == ErrorCode::kNotFound) return check_the_file;  // no such row
  ROSTER_RETURN_IF_ERROR(found.status());
  OwnedRowRecord record = std::move(found).value();
  // A planned row or a duplicate has neighbours (the rows naming the same user) that would
  // change with it: those the whole-file check does.
  if (record.status != RowStatus::kError && record.status != RowStatus::kEmpty &&
      record.status != RowStatus::kExcluded) {
    return check_the_file;
  }

  ImportCounts counts = job.counts;
  switch (record.status) {
    case RowStatus::kError: --counts.errors; break;
    case RowStatus::kEmpty: --counts.empty_rows; break;
    default: --counts.excluded_rows; break;
  }
  FindingsPatch patch;
  patch.rows.push_back(row);
  auto fix = decisions.fixes.find(row);
  if (fix != decisions.fixes.end()) record.value = fix->second;
  record.message.clear();

  if (decisions.excluded_rows.contains(row)) {
    ++counts.excluded_rows;
    record.status = RowStatus::kExcluded;
    record.message = kExcludedMessage;
  } else if (record.status == RowStatus::kEmpty && fix == decisions.fixes.end()) {
    ++counts.empty_rows;  // an empty row taken back stays empty
  } else {
    EmailCheck check;
    std::optional<RowIssue> issue = AddressProblem(record.value, check);
    std::optional<UserKey> user;
    if (!issue) {
      ROSTER_ASSIGN_OR_RETURN(user, store.FindUserKey(job.org_id, check.key));
      if (!user) {
        issue = NotFoundIssue(check);
      } else if (!own_key.empty() && check.key == own_key) {
        issue = OwnAddressIssue();
      }
    }
    if (!issue) {
      ROSTER_ASSIGN_OR_RETURN(std::optional<PlanPart> part,
                              store.LoadPlanPart(job.org_id, job.id, user->user_id));
      PlanPart changed = part ? std::move(*part) : PlanPart{user->user_id, {}};
      auto at = std::lower_bound(
          changed.entries.begin(), changed.entries.end(), user->user_id,
          [](const PlannedDeletion& entry, int64_t id) { return entry.user_id < id; });
      if (at != changed.entries.end() && at->user_id == user->user_id && at->row < row) {
        ++counts.duplicates;
        issue = DuplicateIssue(check);
      } else if (at != changed.entries.end() && at->user_id == user->user_id) {
        // This row comes first now: it is planned, and the row that was becomes a duplicate.
        ROSTER_ASSIGN_OR_RETURN(OwnedRowRecord demoted, records.Find(at->row));
        EmailCheck demoted_check = CheckEmail(demoted.value);
        RowIssue duplicate = DuplicateIssue(demoted_check);
        demoted.status = RowStatus::kDuplicate;
        demoted.message = duplicate.message;
        ROSTER_RETURN_IF_ERROR(records.Replace(demoted));
        patch.rows.push_back(demoted.row);
        patch.issues.push_back({demoted.row, header, demoted.value, duplicate.code,
                                duplicate.severity, duplicate.message, std::nullopt});
        ++counts.duplicates;
        ++counts.warnings;
        at->row = row;
        record.status = RowStatus::kPlanned;
        patch.plan_parts.push_back(std::move(changed));
      } else {
        ROSTER_ASSIGN_OR_RETURN(AuditHasher hasher, AuditHasher::FromSalt(salt_hex));
        changed.entries.insert(at,
                               {user->user_id, KeyHash(check.key), row, hasher.Hash(check.key)});
        ++counts.to_delete;
        if (user->has_elearning) ++counts.elearning_linked;
        record.status = RowStatus::kPlanned;
        patch.plan_parts.push_back(std::move(changed));
      }
    }
    if (issue) {
      const bool error = issue->severity == Severity::kError;
      ++(error ? counts.errors : counts.warnings);
      record.status = error ? RowStatus::kError : RowStatus::kDuplicate;
      record.message = issue->message;
      patch.issues.push_back({row, header, record.value, issue->code, issue->severity,
                              issue->message, issue->suggestion});
    }
  }
  ROSTER_RETURN_IF_ERROR(records.Replace(record));
  patch.row_chunks = records.Take();
  std::sort(patch.issues.begin(), patch.issues.end(),
            [](const ImportIssue& a, const ImportIssue& b) { return a.row < b.row; });

  ImportJob changed = job;
  changed.decisions = decisions.ToJson(salt_hex);
  changed.counts = counts;
  changed.state = counts.errors > 0 ? JobState::kMapped : JobState::kValidated;
  changed.error.clear();
  ROSTER_ASSIGN_OR_RETURN(ImportJob saved, store.PatchFindings(changed, patch));
  return std::optional<ImportJob>(std::move(saved));
}

}  // namespace roster::import
