#include "import/report_writer.h"

#include <algorithm>
#include <functional>
#include <memory>

#include "import/analysis.h"
#include "import/formula_guard.h"
#include "import/row_records.h"
#include "sheet/xlsx_writer.h"

namespace roster::import {
namespace {

const std::vector<std::string> kReportHeader = {"Row", "Email", "Outcome", "Message"};
constexpr double kEmailWidth = 36;
constexpr double kMessageWidth = 80;
constexpr size_t kCsvBlockBytes = 1 << 16;

std::string CsvField(std::string_view text) {
  std::string field = NeutralizeFormula(text);
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// A row as the report shows it: planned rows become what the execution did to them.
struct ReportRow {
  int64_t row = 0;
  std::string_view value;
  RowStatus status = RowStatus::kPlanned;
  std::string_view message;
};

constexpr std::string_view kGoneMessage =
    "the user was deleted or changed by someone else after the plan was made";

// Calls `write` for each row of the report, in row order.
Status ForEachReportRow(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                        const std::function<Status(const ReportRow&)>& write) {
  Status written;
  Status read = ForEachRowRecord(rows, [&](const RowRecord& record) {
    if (!written.ok()) return;
    ReportRow row{record.row, record.value, record.status, record.message};
    if (record.status == RowStatus::kPlanned && outcome) {
      if (std::binary_search(outcome->gone_rows.begin(), outcome->gone_rows.end(), record.row)) {
        row.status = RowStatus::kAlreadyGone;
        row.message = kGoneMessage;
      } else if (outcome->mode == ImportMode::kDelete) {
        row.status = RowStatus::kDeleted;
      } else {
        row.status = record.creates ? RowStatus::kCreated : RowStatus::kUpdated;
      }
    }
    written = write(row);
  });
  ROSTER_RETURN_IF_ERROR(read);
  return written;
}

Status WriteCsv(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                const std::string& path, FileSystem& files) {
  Result<std::unique_ptr<FileWriter>> opened = files.OpenForWrite(path);
  if (!opened.ok()) {
    return InvalidArgument("the report " + path + " cannot be written (" +
                           opened.status().message() + ")");
  }
  FileWriter& out = **opened;
  // Rows are gathered into blocks: a call per row would cost more than the row's formatting.
  std::string block = "\xEF\xBB\xBF";  // a BOM, so that Excel reads the file as UTF-8
  block += "Row,Email,Outcome,Message\r\n";
  ROSTER_RETURN_IF_ERROR(ForEachReportRow(rows, outcome, [&](const ReportRow& row) {
    block += std::to_string(row.row) + ',' + CsvField(row.value) + ',' +
             std::string(RowStatusName(row.status)) + ',' + CsvField(row.message) + "\r\n";
    if (block.size() < kCsvBlockBytes) return Status::Ok();
    Status appended = out.Append(block);
    block.clear();
    return appended;
  }));
  Status written = out.Append(block);
  Status closed = out.Close();
  if (!written.ok() || !closed.ok()) {
    return InvalidArgument("the report " + path + " could not be written completely (" +
                           (written.ok() ? closed : written).message() + ")");
  }
  return Status::Ok();
}

Status WriteXlsx(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                 const std::string& path) {
  ROSTER_ASSIGN_OR_RETURN(
      std::unique_ptr<sheet::XlsxWriter> writer,
      sheet::XlsxWriter::Create(path, sheet::XlsxWriter::Options{.constant_memory = true}));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet, writer->AddSheet("Result"));
  ROSTER_RETURN_IF_ERROR(writer->SetColumnWidth(sheet, 1, 1, kEmailWidth));
  ROSTER_RETURN_IF_ERROR(writer->SetColumnWidth(sheet, 3, 3, kMessageWidth));
  ROSTER_RETURN_IF_ERROR(writer->WriteHeader(sheet, kReportHeader));
  int64_t line = 1;
  ROSTER_RETURN_IF_ERROR(ForEachReportRow(rows, outcome, [&](const ReportRow& row) {
    return writer->WriteRow(
        sheet, line++,
        {static_cast<double>(row.row), NeutralizeFormula(row.value),
         std::string(RowStatusName(row.status)), NeutralizeFormula(row.message)});
  }));
  return writer->Close();
}

}  // namespace

Status WriteReport(std::span<const RowChunk> rows, const std::optional<ReportOutcome>& outcome,
                   const std::string& path, FileSystem& files) {
  if (!path.ends_with(".xlsx") && !path.ends_with(".csv")) {
    return InvalidArgument("the report " + path + " must end in .xlsx or .csv");
  }
  // Written aside and renamed into place: a download (perhaps served by another server) or a
  // crash never meets a half-written report.
  const std::string partial = path + ".part";
  Status written = path.ends_with(".xlsx") ? WriteXlsx(rows, outcome, partial)
                                           : WriteCsv(rows, outcome, partial, files);
  if (written.ok()) {
    if (Status renamed = files.Rename(partial, path); !renamed.ok()) {
      written = InvalidArgument("cannot write the report " + path + " (" + renamed.message() + ")");
    }
  }
  // A part left behind would hold the addresses of the file until it expires.
  if (!written.ok()) (void)files.Remove(partial);
  return written;
}

}  // namespace roster::import
