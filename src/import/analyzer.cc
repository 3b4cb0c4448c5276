#include "import/analyzer.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/text.h"
#include "import/add_update_checker.h"
#include "import/address_suggester.h"
#include "import/checking_thread.h"
#include "import/delete_checker.h"
#include "import/digests.h"
#include "import/sheet_choice.h"
#include "import/user_index.h"
#include "sheet/workbook_reader.h"

namespace roster::import {
namespace {

constexpr int64_t kProgressEveryRows = 50'000;
// How often the reading asks whether to go on (a cancelled check stops within this many rows).
constexpr int64_t kAskEveryRows = 4'096;

Status ApplyManualMapping(const ImportSettings& settings, ColumnMapping& mapping) {
  if (settings.mapping_is_complete) {
    for (const AttributeSpec& spec : AttributeTable()) mapping.Unassign(spec.attribute);
  }
  for (const auto& [header, key] : settings.manual_mapping) {
    std::optional<Attribute> attribute = AttributeFromKey(key);
    if (key.empty()) {
      // Unassign what the header had.
      for (const MappedColumn& column : mapping.columns()) {
        if (column.header == header && column.attribute) mapping.Unassign(*column.attribute);
      }
      continue;
    }
    if (!attribute) {
      std::string known;
      for (const AttributeSpec& spec : AttributeTable()) {
        known += (known.empty() ? "" : ", ") + std::string(spec.key);
      }
      return InvalidArgument("unknown attribute '" + key + "' for the column \"" + header +
                             "\"; the attributes are " + known);
    }
    ROSTER_RETURN_IF_ERROR(mapping.Assign(header, *attribute));
  }
  return Status::Ok();
}

// Measures the phases of one analysis into Analysis::timings.
class PhaseClock {
 public:
  explicit PhaseClock(Analysis& analysis) : analysis_(analysis) {}
  void Lap(std::string phase) {
    auto now = std::chrono::steady_clock::now();
    analysis_.timings.push_back(
        {std::move(phase), std::chrono::duration<double>(now - start_).count()});
    start_ = now;
  }

 private:
  Analysis& analysis_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Rows read but not yet checked wait in memory up to this many bytes (packed); beyond that,
// reading waits for the checking. At a million users the checking thread loads the keys for
// about a third of the time the file takes to read, so about a third of a million-row,
// six-column list waits: some 40 MB.
constexpr size_t kMaxWaitingBytes = 128 << 20;

}  // namespace

Result<Analysis> AnalyzeFile(Store& store, const AnalyzeRequest& request, RandomSource& random) {
  if (request.settings.header_row < 1) {
    return InvalidArgument("the header row must be 1 or more");
  }
  Analysis analysis;
  PhaseClock phases(analysis);
  analysis.file_name = request.display_name;
  // Opened before the digest reads every byte: a file over the size limit (or not a
  // spreadsheet) is refused at once, whatever its size.
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::WorkbookReader> reader,
                          sheet::OpenWorkbook(request.path, request.limits, request.display_name));
  analysis.file_type = reader->type();
  analysis.sheets = reader->sheets();
  ROSTER_ASSIGN_OR_RETURN(size_t sheet_index,
                          ChooseSheet(*reader, request.settings.sheet, request.display_name));
  analysis.sheet = analysis.sheets[sheet_index].name;
  analysis.header_row = request.settings.header_row;
  analysis.audit_salt_hex =
      request.audit_salt_hex.empty() ? NewAuditSalt(random) : request.audit_salt_hex;
  ROSTER_ASSIGN_OR_RETURN(AuditHasher hasher, AuditHasher::FromSalt(analysis.audit_salt_hex));
  phases.Lap("open file");
  UserIndex index;  // filled by the checking thread before it checks a row

  const int64_t header_row = request.settings.header_row;
  const bool delete_mode = request.settings.mode == ImportMode::kDelete;
  bool mapped = false;
  Status mapping_status;
  std::vector<Attribute> unmapped;  // required attributes without a column
  std::unique_ptr<DeleteChecker> delete_checker;
  std::unique_ptr<AddUpdateChecker> add_update_checker;
  int64_t last_row = header_row;
  int64_t rows_read = 0;
  // Maps the columns once the header row has gone by (or was empty and skipped).
  auto map_columns = [&](const std::vector<std::string>& headers) {
    mapped = true;
    analysis.mapping = ColumnMapping::Automatic(headers);
    mapping_status = ApplyManualMapping(request.settings, analysis.mapping);
    if (!mapping_status.ok()) return;
    for (const AttributeSpec& spec : AttributeTable()) {
      bool required = delete_mode ? spec.required_for_delete : spec.required_for_add_update;
      if (required && !analysis.mapping.ColumnOf(spec.attribute))
        unmapped.push_back(spec.attribute);
    }
    if (!unmapped.empty()) return;
    if (delete_mode) {
      int email_column = *analysis.mapping.ColumnOf(Attribute::kEmail);
      delete_checker = std::make_unique<DeleteChecker>(
          index, request.settings.decisions, email_column,
          analysis.mapping.columns()[static_cast<size_t>(email_column)].header,
          [&hasher](std::string_view key) { return hasher.Hash(key); }, request.keep_rows,
          request.own_key);
    } else {
      add_update_checker =
          std::make_unique<AddUpdateChecker>(store, request.organization, index, analysis.mapping,
                                             request.settings.decisions, request.keep_rows);
    }
  };

  ImportCounts unchecked;  // counts when a missing column means no row can be checked
  auto check_row = [&](const sheet::Row& row) {
    if (row.number == header_row) {
      std::vector<std::string> headers;
      for (const sheet::Cell& cell : row.cells) headers.emplace_back(Trim(cell.text));
      map_columns(headers);
      return mapping_status.ok();
    }
    if (!mapped) map_columns({});
    if (!mapping_status.ok()) return false;
    int64_t skipped = row.number - last_row - 1;
    if (delete_checker) {
      delete_checker->CountEmptyRows(last_row + 1, skipped);
      delete_checker->CheckRow(row);
    } else if (add_update_checker) {
      add_update_checker->CountEmptyRows(last_row + 1, skipped);
      add_update_checker->CheckRow(row);
      if (!add_update_checker->status().ok()) return false;
    } else {
      unchecked.rows += skipped + 1;
    }
    last_row = row.number;
    return true;
  };
  // Checking runs on a thread of its own, which loads the keys first (the store is its
  // alone until Finish); this thread reads. On an early return its destructor stops it.
  CheckingThread checking(
      [&store, &index, org_id = request.organization.id] {
        Result<UserIndex> loaded = UserIndex::Load(store, org_id);
        if (!loaded.ok()) return loaded.status();
        index = std::move(loaded).value();
        return Status::Ok();
      },
      check_row, kMaxWaitingBytes);
  // The digest is made while the checking thread loads the keys.
  ROSTER_ASSIGN_OR_RETURN(FileDigest digest, DigestFile(request.path, request.display_name));
  phases.Lap("file digest");
  analysis.file_sha256 = digest.sha256_hex;
  analysis.file_size = digest.size;
  bool stopped = false;
  Status read = reader->ReadRows(sheet_index, [&](const sheet::Row& row) {
    if (row.number < header_row) return true;
    if (row.number > header_row) {
      ++rows_read;
      if (rows_read % kProgressEveryRows == 0 && request.progress) request.progress(rows_read, -1);
      if (rows_read % kAskEveryRows == 0 && request.keep_going && !request.keep_going()) {
        stopped = true;
        return false;
      }
    }
    return checking.Add(row);
  });
  ROSTER_RETURN_IF_ERROR(read);
  if (stopped) return Aborted("the check of " + request.display_name + " was stopped");
  // Every row is read: the total is known (what follows is checking the last rows, the
  // suggestions and saving).
  if (request.progress) request.progress(rows_read, rows_read);
  ROSTER_RETURN_IF_ERROR(checking.Finish());
  phases.Lap("read and check rows");
  analysis.timings.push_back(
      {"load user index (on the checking thread)", checking.prepare_seconds()});
  if (!mapped) map_columns({});
  ROSTER_RETURN_IF_ERROR(mapping_status);

  if (!unmapped.empty()) {
    analysis.counts = unchecked;
    for (Attribute attribute : unmapped) {
      ++analysis.counts.errors;
      analysis.issues.push_back(
          {0, std::string(SpecOf(attribute).template_header), "", IssueCode::kColumnNotMapped,
           Severity::kError,
           "No column is mapped to " + std::string(SpecOf(attribute).template_header) + ", which " +
               (delete_mode ? "a delete" : "an add/update") +
               " import needs. Choose the column that holds it (or check the header row: it "
               "is row " +
               std::to_string(header_row) + ").",
           std::nullopt});
    }
    return analysis;
  }
  if (add_update_checker) {
    ROSTER_RETURN_IF_ERROR(add_update_checker->status());
    add_update_checker->Finish(analysis, analysis.upserts);
    return analysis;
  }
  DeleteChecker* checker = delete_checker.get();
  // The suggestion index costs time and memory, so it is built only when a row needs it.
  std::optional<AddressSuggester> suggester;
  if (checker->HasNotFound()) {
    AddressSuggester::Builder builder(request.organization.domains);
    Status added;
    index.ForEachKey([&](std::string_view key) {
      if (added.ok()) added = builder.Add(key);
    });
    ROSTER_RETURN_IF_ERROR(added);
    suggester.emplace(std::move(builder).Finish());
  }
  checker->Finish(
      suggester ? SuggestFunction([&](std::string_view key) { return suggester->Suggest(key); })
                : SuggestFunction(),
      analysis);
  phases.Lap("suggestions and plan");
  return analysis;
}

}  // namespace roster::import
